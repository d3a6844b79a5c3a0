import { InvalidArgumentError, type Command } from 'commander';
import { getPrompt } from '../prompts/catalog.js';
import { parseColor, type Rgb } from '../runners/sim/color.js';
import { DEFECT_CODES, parseDefect } from '../runners/sim/defects.js';
import { simulateClip, truthPathFor } from '../runners/sim/simulate-clip.js';
import type { DefectRequest } from '../runners/sim/options.js';
import { EXIT } from './exit-codes.js';
import { frameSize, positiveInt, positiveNumber } from './parse.js';

interface SimFlags {
  out: string;
  defect: DefectRequest[];
  seed: number;
  size?: { width: number; height: number };
  fps: number;
  duration?: number;
  shake?: number;
  lightingRamp?: number;
  ballColor?: Rgb;
}

export function registerSim(program: Command, setExit: (code: number) => void): void {
  program
    .command('sim')
    .description('render a physically exact clip of a catalog prompt, with its ground truth beside it (<out>.truth.json)')
    .argument('<prompt-id>', 'a prompt id (see `physeval list prompts`)')
    .requiredOption('-o, --out <file.mp4>', 'where to write the clip')
    .option('--defect <name[=value][@droplets]>', `plant a defect (${DEFECT_CODES.join(', ')}; the table in the README gives each VALUE; @droplets: gravity-off on a splash's droplets only)`, collectDefect, [])
    .option('--seed <n>', 'seed for noise, texture and watermark', positiveInt, 1)
    .option('--size <WxH>', 'frame size (default 640x360, or from the prompt aspect ratio)', frameSize)
    .option('--fps <n>', 'frame rate', positiveInt, 30)
    .option('--duration <s>', "clip length in seconds (default: the prompt's)", positiveNumber)
    .option('--shake <px>', 'hand-held camera shake, RMS offset per axis in px (ball scenes; default still)', positiveNumber)
    .option('--lighting-ramp <share>', 'slow lighting change: exposure grows linearly to ×(1 + share) by the last frame (negative dims; ball scenes)', exposureShare)
    .option('--ball-color <colour>', "draw every ball in this CSS colour name or #rrggbb instead of the prompt's (ball scenes)", ballColor)
    .action(async (promptId: string, flags: SimFlags) => {
      if (flags.defect.length > 1) throw new Error('--defect: the simulator plants one defect per clip');
      const truth = await simulateClip(getPrompt(promptId), flags.out, {
        seed: flags.seed,
        fps: flags.fps,
        ...(flags.size ?? {}),
        ...(flags.duration === undefined ? {} : { durationS: flags.duration }),
        ...(flags.shake === undefined ? {} : { shakePx: flags.shake }),
        ...(flags.lightingRamp === undefined ? {} : { lightingRamp: flags.lightingRamp }),
        ...(flags.ballColor === undefined ? {} : { ballColorRgb: flags.ballColor }),
        defect: flags.defect[0] ?? null,
      });
      const main = truth.objects[0];
      process.stdout.write(
        [
          `wrote ${flags.out} (${truth.width}x${truth.height}, ${truth.fps} fps, ${truth.durationS} s) and ${truthPathFor(flags.out)}`,
          `  gravity ${truth.gravityMS2} m/s² = ${truth.gravityPxS2.toFixed(1)} px/s² at ${truth.pxPerM.toFixed(1)} px/m`,
          ...(main ? [`  ${main.name}: contacts at ${main.contactsS.map((t) => t.toFixed(3)).join(', ') || 'none'} s`] : []),
          ...(flags.shake === undefined ? [] : [`  camera shake ${flags.shake} px RMS per axis; offsets per frame in the truth (cameraOffsetsPx)`]),
          ...(truth.lightingRamp === undefined ? [] : [`  lighting ramp: exposure ×1 → ×${(1 + truth.lightingRamp).toFixed(2)} over the clip`]),
          `  defect: ${truth.defect ? `${truth.defect.code}=${truth.defect.value}${flags.defect[0]?.target === undefined ? '' : ` on the ${flags.defect[0].target} only`} from ${truth.defect.atS.toFixed(2)} s` : 'none'}`,
        ].join('\n') + '\n',
      );
      setExit(EXIT.ok);
    });
}

function collectDefect(value: string, previous: DefectRequest[]): DefectRequest[] {
  return [...previous, parseDefect(value)];
}

function exposureShare(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= -1) throw new InvalidArgumentError(`expected a share above -1 (0.3: 30% brighter by the end), got '${value}'`);
  return parsed;
}

function ballColor(value: string): Rgb {
  const parsed = parseColor(value);
  if (parsed === null) throw new InvalidArgumentError(`expected a CSS colour name or #rrggbb, got '${value}'`);
  return parsed;
}
