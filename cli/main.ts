import { Command, CommanderError } from 'commander';
import { physevalVersion } from '../prompts/package-root.js';
import { registerAnalyze } from './analyze.js';
import { EXIT, describeError } from './exit-codes.js';
import { registerGate } from './gate.js';
import { registerHistory } from './history.js';
import { registerList } from './list.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerSchema } from './schema.js';
import { registerSim } from './sim.js';

/** Runs the CLI with `argv` (as process.argv) and resolves to the exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command()
    .name('physeval')
    .description('Measure how well AI video generators obey physics')
    .version(physevalVersion())
    .exitOverride()
    .showHelpAfterError('(run `physeval --help` for usage)');
  registerRun(program, setExit);
  registerAnalyze(program, setExit);
  registerSim(program, setExit);
  registerReport(program, setExit);
  registerGate(program, setExit);
  registerMerge(program);
  registerHistory(program);
  registerList(program);
  registerSchema(program);
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; a usage error was already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    process.stderr.write(`physeval: ${describeError(error)}\n`);
    return EXIT.error;
  }
}
