import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { faceModelKind } from '../../metrics/lip-sync-browser.js';
import { MODEL_SLOTS, blazeFaceShortRangePath, encodeFlatbuffer, ref, str, tableAt, vectorElements, withTasksMetadata, type FbNode } from './lip-sync-model.js';

const text = (view: DataView, at: number | null): string | null =>
  at === null ? null : new TextDecoder().decode(new Uint8Array(view.buffer, view.byteOffset + at + 4, view.getUint32(at, true)));

const bytesAt = (view: DataView, vector: number): Uint8Array => new Uint8Array(view.buffer, view.byteOffset + vector + 4, view.getUint32(vector, true));

/** A small TFLite-shaped model: version 3, a description, an empty and a 3-byte buffer, one metadata entry. */
function tinyModel(): Uint8Array {
  const buffer = (bytes: number[]): FbNode => ({ kind: 'table', slots: bytes.length === 0 ? [] : [ref({ kind: 'u8s', bytes: Uint8Array.from(bytes) })] });
  const model: FbNode = {
    kind: 'table',
    slots: [
      { kind: 'u32', value: 3 },
      undefined,
      undefined,
      str('tiny'),
      ref({ kind: 'tables', items: [buffer([]), buffer([7, 8, 9])] }),
      undefined,
      ref({ kind: 'tables', items: [{ kind: 'table', slots: [str('min_runtime_version'), { kind: 'u32', value: 1 }] }] }),
    ],
  };
  return encodeFlatbuffer(model, 'TFL3');
}

describe('Tasks metadata added to a TFLite model', () => {
  const made = withTasksMetadata(tinyModel());
  const view = new DataView(made.buffer, made.byteOffset, made.byteLength);
  const root = tableAt(view, view.getUint32(0, true));

  it('keeps the model: identifier, version, description, buffers and metadata entries', () => {
    expect(faceModelKind(made, 'made.tflite')).toBe('face-detector');
    expect(view.getUint32(root.field(MODEL_SLOTS.version)!, true)).toBe(3);
    expect(text(view, root.target(MODEL_SLOTS.description))).toBe('tiny');
    const buffers = vectorElements(view, root.target(MODEL_SLOTS.buffers));
    expect(buffers).toHaveLength(3);
    expect(tableAt(view, buffers[0]!).target(0)).toBeNull();
    expect(Array.from(bytesAt(view, tableAt(view, buffers[1]!).target(0)!))).toEqual([7, 8, 9]);
    const entries = vectorElements(view, root.target(MODEL_SLOTS.metadata)).map((at) => {
      const entry = tableAt(view, at);
      return [text(view, entry.target(0)), view.getUint32(entry.field(1)!, true)];
    });
    expect(entries).toEqual([['min_runtime_version', 1], ['TFLITE_METADATA', 2]]);
  });

  it('stores a ModelMetadata flatbuffer ("M001") whose input is an RGB image normalised by (x − 127.5) / 127.5', () => {
    const buffers = vectorElements(view, root.target(MODEL_SLOTS.buffers));
    const dataVector = tableAt(view, buffers[2]!).target(0)!;
    // Buffer.data is force_align 16 in the TFLite schema.
    expect((dataVector + 4) % 16).toBe(0);
    const data = bytesAt(view, dataVector);
    const md = new DataView(data.buffer, data.byteOffset, data.byteLength);
    expect(new TextDecoder().decode(data.subarray(4, 8))).toBe('M001');
    const modelMetadata = tableAt(md, md.getUint32(0, true));
    const subgraph = tableAt(md, vectorElements(md, modelMetadata.target(3))[0]!);
    const input = tableAt(md, vectorElements(md, subgraph.target(2))[0]!);
    expect(text(md, input.target(0))).toBe('image');
    const content = tableAt(md, input.target(3)!);
    expect(md.getUint8(content.field(0)!)).toBe(2); // ContentProperties.ImageProperties
    expect(md.getUint8(tableAt(md, content.target(1)!).field(0)!)).toBe(1); // ColorSpaceType.RGB
    const unit = tableAt(md, vectorElements(md, input.target(4))[0]!);
    expect(md.getUint8(unit.field(0)!)).toBe(1); // ProcessUnitOptions.NormalizationOptions
    const normalization = tableAt(md, unit.target(1)!);
    for (const slot of [0, 1]) {
      const vector = normalization.target(slot)!;
      expect(md.getUint32(vector, true)).toBe(1);
      expect(md.getFloat32(vector + 4, true)).toBe(127.5);
    }
  });

  const source = blazeFaceShortRangePath();
  it.skipIf(source === null)('keeps every byte of the BlazeFace model after the new header region', () => {
    const original = new Uint8Array(readFileSync(source!));
    const withMetadata = withTasksMetadata(original);
    const shift = withMetadata.length - original.length;
    expect(shift % 16).toBe(0);
    expect(Buffer.compare(withMetadata.subarray(8 + shift), original.subarray(8))).toBe(0);
  });
  if (source === null) console.warn('lip-sync-model: @mediapipe/face_detection not installed (nor PHYSEVAL_TEST_BLAZEFACE): the real BlazeFace model is not checked');
});
