import { Command, CommanderError } from 'commander';
import { physevalVersion } from '../prompts/package-root.js';
import { EXIT, describeError } from './exit-codes.js';

type Register = (program: Command, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded only when needed: importing all of them (metrics, OpenCV's loader,
 * reports, provider clients) cost about 0.35 s of CPU on every run of a command that uses a few.
 * In the order `physeval --help` lists them.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  run: async () => (await import('./run.js')).registerRun,
  analyze: async () => (await import('./analyze.js')).registerAnalyze,
  sim: async () => (await import('./sim.js')).registerSim,
  report: async () => (await import('./report.js')).registerReport,
  gate: async () => (await import('./gate.js')).registerGate,
  merge: async () => (await import('./merge.js')).registerMerge,
  history: async () => (await import('./history.js')).registerHistory,
  list: async () => (await import('./list.js')).registerList,
  schema: async () => (await import('./schema.js')).registerSchema,
};

/** The commands to register: the one `argv` names, or every one (for help, a typo's suggestions, `--version`). */
function commandsFor(argv: readonly string[]): string[] {
  const named = argv[2];
  return named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
}

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
  for (const name of commandsFor(argv)) (await (COMMANDS[name] as () => Promise<Register>)())(program, setExit);
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
