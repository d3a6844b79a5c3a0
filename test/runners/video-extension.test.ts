import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeVideo } from '../../media/probe.js';
import { getPrompt } from '../../prompts/catalog.js';
import type { Prompt } from '../../prompts/schema.js';
import { outputRefPath, readOutputRef } from '../../runners/job-journal.js';
import { createProviderGenerator } from '../../runners/provider-generator.js';
import { createFalProtocol, falInfo } from '../../runners/providers/fal.js';
import { createGoogleVeoProtocol, googleVeoInfo } from '../../runners/providers/google-veo.js';
import { createSoraProtocol } from '../../runners/providers/openai.js';
import { createRunwayProtocol, runwayInfo } from '../../runners/providers/runway.js';
import { createGenerator } from '../../runners/registry.js';
import { joinAtBoundary } from '../../runners/source-clip.js';
import type { GenerateOutcome, Generator, SourceClip } from '../../runners/types.js';
import { fixtureDir, makeWithFfmpeg } from '../media/fixtures.js';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai-server.js';
import { FAST_LIFECYCLE, makeFixtureClips, type FixtureClips } from './fake-server-kit.js';
import { startFakeRunwayServer, type FakeRunwayServer } from './fake-runway-server.js';
import { startFakeFalServer, type FakeFalServer } from './fake-fal-server.js';
import { startFakeVeoServer, type FakeVeoServer } from './fake-veo-server.js';

const KEY = 'sk-extension-SECRET-0b7e55';
const SORA_INFO = { id: 'openai:sora-2', description: 'Sora 2', modes: ['text-to-video' as const, 'image-to-video' as const], priceUsdPerS: 0.1, needsKey: true };
const fixture = fixtureDir('extension');
const lob = getPrompt('tennis-ball-lob');
let clips: FixtureClips;
let sora: FakeOpenAi;
let runway: FakeRunwayServer;
let veo: FakeVeoServer;
let fal: FakeFalServer;
let counter = 0;

/** New picture and tone of `seconds`, made once per length. */
const newParts = new Map<number, Promise<string>>();
function newPart(seconds: number): Promise<string> {
  let made = newParts.get(seconds);
  if (made === undefined) {
    const path = fixture.file(`new-part-${seconds}.mp4`);
    made = makeWithFfmpeg(['-f', 'lavfi', '-i', `testsrc=size=320x180:rate=30:duration=${seconds}`, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path]).then(() => path);
    newParts.set(seconds, made);
  }
  return made;
}

/** A continuation made the way Sora makes one: the uploaded source, then `seconds` of new picture and tone. */
async function stitchedExtension(uploaded: Buffer, _prompt: string, seconds: number): Promise<Buffer> {
  counter += 1;
  const sourcePath = fixture.file(`uploaded-${counter}.mp4`);
  const joined = fixture.file(`stitched-${counter}.mp4`);
  writeFileSync(sourcePath, uploaded);
  const source = await probeVideo(sourcePath);
  await joinAtBoundary(source, source.durationS, await probeVideo(await newPart(seconds)), joined);
  return readFileSync(joined);
}

beforeAll(async () => {
  clips = await makeFixtureClips(fixture.file('clips'), 'tennis-ball-lob');
  sora = await startFakeOpenAi({ key: KEY, video: () => clips.withAudio, extensionVideo: stitchedExtension, pollAfterMs: 5 });
  runway = await startFakeRunwayServer({ key: KEY, clips: clips.source });
  veo = await startFakeVeoServer({ key: KEY, clips: clips.source, pendingPolls: 1 });
  fal = await startFakeFalServer({ key: KEY, clips: clips.source });
});

afterAll(async () => {
  await Promise.all([sora.close(), runway.close(), veo.close(), fal.close()]);
  fixture.remove();
});

function env(): NodeJS.ProcessEnv {
  return {
    OPENAI_API_KEY: KEY,
    OPENAI_BASE_URL: `${sora.url}/v1`,
    RUNWAYML_API_SECRET: KEY,
    RUNWAYML_BASE_URL: runway.url,
    GEMINI_API_KEY: KEY,
    GEMINI_BASE_URL: veo.url,
    FAL_KEY: KEY,
    FAL_QUEUE_BASE_URL: fal.url,
    PHYSEVAL_CACHE_DIR: fixture.file('cache'),
  };
}

const jobsDir = (): string => fixture.file('jobs');

function soraGenerator(): Generator {
  return createProviderGenerator(createSoraProtocol({ kind: 'openai', model: 'sora-2' }), SORA_INFO, { ...FAST_LIFECYCLE, env: env(), jobsDir: jobsDir() });
}

/** A unique copy of the lob (its own cache entries), and a prompt that continues it. */
function sourceAndContinuation(fromClip: Prompt['fromClip'] & object, durationS = 4): { source: Prompt; continuation: Prompt } {
  counter += 1;
  const source = { ...lob, id: `lob-source-${counter}`, text: `${lob.text} #${counter}` };
  const continuation: Prompt = { ...lob, id: `lob-goes-on-${counter}`, text: `The tennis ball lands and bounces on. #${counter}`, durationS, fromClip: { ...fromClip, promptId: source.id } };
  return { source, continuation };
}

async function generate(generator: Generator, prompt: Prompt, source?: SourceClip): Promise<GenerateOutcome & { outPath: string }> {
  const outPath = fixture.file(`out/${generator.info.id.replace(/[^a-z0-9.-]/gi, '_')}-${prompt.id}.mp4`);
  const outcome = await generator.generate({ prompt, seed: 1, outPath, ...(source ? { source } : {}) });
  return { ...outcome, outPath };
}

describe('video extension and remix as modes of a prompt', () => {
  it('Sora: uploads the source to POST /videos/extensions and keeps the stitched answer, the boundary at the end of the source', async () => {
    const generator = soraGenerator();
    const { source, continuation } = sourceAndContinuation({ as: 'extension' });
    const made = await generate(generator, source);
    expect(made.status).toBe('ok');
    const sourceInfo = await probeVideo(made.outPath);
    const extended = await generate(generator, continuation, { videoPath: made.outPath, promptId: source.id });
    expect(extended.status === 'ok' ? '' : extended.message).toBe('');
    expect(extended).toMatchObject({ status: 'ok', costUsd: 0.4, generation: { mode: 'video-extension', via: 'native', boundaryS: sourceInfo.durationS } });
    // The whole source went up (its boundary is its end) and Sora was asked for 4 s more.
    expect(sora.stats.extensions.at(-1)).toEqual({ bytes: statSync(made.outPath).size, seconds: '4', prompt: continuation.text });
    const delivered = await probeVideo(extended.outPath);
    expect(delivered.durationS).toBeCloseTo(sourceInfo.durationS + 4, 1);
    expect([delivered.width, delivered.height, delivered.hasAudio]).toEqual([320, 180, true]);
  });

  it('Sora: a boundary inside the source uploads the source cut there; a second identical request comes from the cache', async () => {
    const generator = soraGenerator();
    const { source, continuation } = sourceAndContinuation({ as: 'extension', boundaryS: 1.2 });
    const made = await generate(generator, source);
    const extended = await generate(generator, continuation, { videoPath: made.outPath, promptId: source.id });
    expect(extended).toMatchObject({ status: 'ok', generation: { via: 'native', boundaryS: 1.2 } });
    const uploaded = sora.stats.extensions.at(-1);
    expect(uploaded?.bytes).toBeLessThan(statSync(made.outPath).size);
    expect((await probeVideo(extended.outPath)).durationS).toBeCloseTo(5.2, 1);
    const requestsBefore = sora.stats.requests.length;
    const again = await generate(soraGenerator(), continuation, { videoPath: made.outPath, promptId: source.id });
    expect(again).toMatchObject({ status: 'ok', costUsd: 0, generation: { via: 'native', boundaryS: 1.2 } });
    expect(sora.stats.requests.length).toBe(requestsBefore);
  });

  it('Sora: remixes a clip it made by its video id (POST /videos/{id}/remix), and says a file cannot be remixed', async () => {
    const generator = soraGenerator();
    const { source, continuation } = sourceAndContinuation({ as: 'remix' });
    const made = await generate(generator, source);
    const sourceId = await readOutputRef(outputRefPath(jobsDir(), `openai:sora-2|${source.id}|1`), 'openai');
    expect(sourceId).toMatch(/^video_\d+$/);
    const remixed = await generate(generator, continuation, { videoPath: made.outPath, promptId: source.id });
    expect(remixed).toMatchObject({ status: 'ok', costUsd: 0.4, generation: { mode: 'video-remix', via: 'native' } });
    expect(sora.stats.remixes.at(-1)).toEqual({ from: sourceId, prompt: continuation.text });
    const fromFile: Prompt = { ...continuation, fromClip: { as: 'remix', videoPath: made.outPath } };
    expect(generator.plan(fromFile)).toEqual({ supported: false, reason: `OpenAI's remix needs the Sora id of a clip made in this run; a video file (${made.outPath}) cannot be remixed` });
  });

  it('Runway: continues from the source frame at the boundary as image-to-video and joins the answer to the source', async () => {
    const generator = createProviderGenerator(createRunwayProtocol('gen4_turbo'), runwayInfo('gen4_turbo'), { ...FAST_LIFECYCLE, env: env(), jobsDir: jobsDir() });
    expect(generator.info.modes).toEqual(['image-to-video', 'video-extension']);
    const sourcePath = fixture.file('user-clip.mp4');
    writeFileSync(sourcePath, clips.silent);
    counter += 1;
    const continuation: Prompt = { ...lob, id: `lob-runway-${counter}`, text: `The ball bounces on the court. #${counter}`, durationS: 2, fromClip: { as: 'extension', videoPath: sourcePath, boundaryS: 1 } };
    expect(generator.plan(continuation)).toMatchObject({ supported: true, costUsd: 0.1 });
    const extended = await generate(generator, continuation, { videoPath: sourcePath });
    expect(extended).toMatchObject({ status: 'ok', generation: { mode: 'video-extension', via: 'last-frame', boundaryS: 1 } });
    const body = runway.createBodies.at(-1) as { model?: string; promptImage?: string };
    expect(body.model).toBe('gen4_turbo');
    // The start frame is a PNG of the source's size: 320x180 in its IHDR chunk.
    const png = Buffer.from((body.promptImage ?? '').replace(/^data:image\/png;base64,/, ''), 'base64');
    expect([png.subarray(1, 4).toString('latin1'), png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(['PNG', 320, 180]);
    const delivered = await probeVideo(extended.outPath);
    expect(delivered.durationS).toBeCloseTo(1 + 2, 1);
    expect([delivered.width, delivered.height]).toEqual([320, 180]);
  });

  it("Veo 3.1: extends its own clip natively by its file URI; a clip from elsewhere goes from the last frame", async () => {
    const generator = createProviderGenerator(createGoogleVeoProtocol('veo-3.1'), googleVeoInfo('veo-3.1'), { ...FAST_LIFECYCLE, env: env(), jobsDir: jobsDir() });
    const { source, continuation } = sourceAndContinuation({ as: 'extension' }, 7);
    const made = await generate(generator, source);
    expect(made.status).toBe('ok');
    const uri = await readOutputRef(outputRefPath(jobsDir(), `google:veo-3.1|${source.id}|1`), 'google');
    expect(uri).toMatch(/\/v1beta\/files\/\w+:download/);
    const extended = await generate(generator, continuation, { videoPath: made.outPath, promptId: source.id });
    expect(extended).toMatchObject({ status: 'ok', costUsd: 2.8, generation: { mode: 'video-extension', via: 'native' } });
    const body = veo.createBodies.at(-1) as { instances: { video?: { uri?: string }; image?: unknown }[] };
    expect(body.instances[0]?.video).toEqual({ uri });
    const elsewhere = await generate(generator, { ...continuation, id: `${continuation.id}-file`, fromClip: { as: 'extension', videoPath: made.outPath } }, { videoPath: made.outPath });
    expect(elsewhere).toMatchObject({ status: 'ok', generation: { via: 'last-frame' } });
    expect((veo.createBodies.at(-1) as { instances: { image?: { mimeType?: string } }[] }).instances[0]?.image?.mimeType).toBe('image/png');
  });

  it("fal: Veo 3.1's extend endpoint gets the source inline as video_url and 7 s are billed; it takes nothing but extensions", async () => {
    const endpoint = 'fal-ai/veo3.1/extend-video';
    const generator = createProviderGenerator(createFalProtocol(endpoint), falInfo(endpoint), { ...FAST_LIFECYCLE, env: env(), jobsDir: jobsDir() });
    expect(generator.info.modes).toEqual(['video-extension']);
    expect(generator.plan(lob)).toEqual({ supported: false, reason: `fal ${endpoint} continues a clip: it takes prompts with fromClip only` });
    const sourcePath = fixture.file('user-clip-for-fal.mp4');
    writeFileSync(sourcePath, clips.withAudio);
    counter += 1;
    const continuation: Prompt = { ...lob, id: `lob-fal-${counter}`, text: `The ball bounces twice more. #${counter}`, durationS: 7, fromClip: { as: 'extension', videoPath: sourcePath } };
    const extended = await generate(generator, continuation, { videoPath: sourcePath });
    const sourceInfo = await probeVideo(sourcePath);
    expect(extended).toMatchObject({ status: 'ok', costUsd: 2.8, generation: { mode: 'video-extension', via: 'native', boundaryS: sourceInfo.durationS } });
    const body = fal.createBodies.at(-1) as { video_url?: string; prompt?: string };
    expect(Buffer.from((body.video_url ?? '').replace(/^data:video\/mp4;base64,/, ''), 'base64').equals(clips.withAudio)).toBe(true);
    expect(body.prompt).toBe(continuation.text);
  });

  it('says in the plan which generators cannot continue or remix a clip', () => {
    const continuation: Prompt = { ...lob, id: 'lob-goes-on', fromClip: { as: 'extension', promptId: lob.id } };
    const remix: Prompt = { ...continuation, fromClip: { as: 'remix', promptId: lob.id } };
    const textOnly = createProviderGenerator(createFalProtocol('fal-ai/pika/v2.2/text-to-video'), falInfo('fal-ai/pika/v2.2/text-to-video'), { env: env() });
    expect(textOnly.plan(continuation)).toEqual({ supported: false, reason: 'fal:fal-ai/pika/v2.2/text-to-video has no native extension and no image-to-video mode to continue a clip from its last frame' });
    expect(createGenerator('runway:gen4.5').plan(remix)).toEqual({ supported: false, reason: "runway:gen4.5 cannot remix a clip (only OpenAI's videos API has a remix call)" });
    expect(createGenerator('sim:ideal').plan(remix)).toEqual({ supported: false, reason: 'sim:ideal continues clips it rendered itself; it cannot remix a clip' });
    const soraPlan = createGenerator('openai:sora-2').plan({ ...continuation, durationS: 5 });
    expect(soraPlan).toMatchObject({ supported: true, costUsd: 0.4 });
    expect(soraPlan.supported && soraPlan.notes?.[0]).toBe('OpenAI POST /videos/extensions: the source clip uploaded, seconds "4" more');
    expect(createGenerator('openai:sora-2').info.modes).toEqual(['text-to-video', 'image-to-video', 'video-extension', 'video-remix']);
    expect(createGenerator('google:veo-3').info.modes).toEqual(['text-to-video', 'image-to-video', 'video-extension']);
  });
});
