/**
 * Makes a face detector the MediaPipe Tasks API accepts from the BlazeFace short-range model that
 * the npm package @mediapipe/face_detection ships: that .tflite lacks the TFLite metadata the Tasks
 * image preprocessing requires ("it requires specifying NormalizationOptions metadata"), so we add
 * it: a ModelMetadata flatbuffer (file identifier "M001", schema tensorflow/tflite-support
 * metadata_schema.fbs) stored in a new model buffer that a `metadata` entry named TFLITE_METADATA
 * points to (TFLite schema.fbs).
 *
 * Flatbuffer offsets are relative and point forward, so the rewritten file is: the header, a new
 * root Model table with its new vectors, then the original bytes unchanged (every offset among
 * them still holds; the shift is a multiple of 16 so the buffers keep their alignment).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The source model: PHYSEVAL_TEST_BLAZEFACE (a face_detection_short_range.tflite), else the one in
 * @mediapipe/face_detection when that package is installed; null otherwise.
 */
export function blazeFaceShortRangePath(): string | null {
  const override = process.env.PHYSEVAL_TEST_BLAZEFACE;
  if (override !== undefined) return existsSync(override) ? override : null;
  try {
    const packageJson = createRequire(import.meta.url).resolve('@mediapipe/face_detection/package.json');
    const path = join(dirname(packageJson), 'face_detection_short_range.tflite');
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/** BlazeFace takes RGB scaled to [-1, 1]: (x − 127.5) / 127.5. */
const BLAZE_FACE_NORMALIZATION = { mean: 127.5, std: 127.5 };

/** The model with Tasks metadata added: input image RGB, normalised as BlazeFace expects. */
export function withTasksMetadata(model: Uint8Array): Uint8Array {
  const metadata = encodeImageModelMetadata(BLAZE_FACE_NORMALIZATION.mean, BLAZE_FACE_NORMALIZATION.std);
  return appendMetadataBuffer(model, 'TFLITE_METADATA', metadata);
}

export function makeTasksFaceDetector(sourcePath: string): Uint8Array {
  return withTasksMetadata(new Uint8Array(readFileSync(sourcePath)));
}

// ---- a forward-writing flatbuffer encoder: parents first, children after them ----

export type FbNode =
  | { kind: 'table'; slots: Array<FbField | undefined> }
  | { kind: 'string'; text: string }
  | { kind: 'tables'; items: FbNode[] }
  | { kind: 'f32s'; values: number[] }
  | { kind: 'u8s'; bytes: Uint8Array }
  /** An object already in the final file, at this absolute position (after the referrer). */
  | { kind: 'at'; position: number };

export type FbField = { kind: 'u8'; value: number } | { kind: 'u32'; value: number } | { kind: 'ref'; node: FbNode };

class ForwardWriter {
  private bytes: number[] = [];
  constructor(readonly base: number) {}

  get length(): number {
    return this.bytes.length;
  }

  result(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  /** Zero bytes until (position + extra) is a multiple of `multiple`. */
  padTo(multiple: number, extra = 0): void {
    while ((((this.base + this.bytes.length + extra) % multiple) + multiple) % multiple !== 0) this.bytes.push(0);
  }

  /** Writes a node, returns its absolute position. */
  write(node: FbNode): number {
    switch (node.kind) {
      case 'at':
        return node.position;
      case 'string': {
        const utf8 = new TextEncoder().encode(node.text);
        this.padTo(4);
        const position = this.here();
        this.u32(utf8.length);
        this.bytes.push(...utf8, 0);
        return position;
      }
      case 'f32s': {
        this.padTo(4);
        const position = this.here();
        this.u32(node.values.length);
        const view = new DataView(new ArrayBuffer(4));
        for (const value of node.values) {
          view.setFloat32(0, value, true);
          this.bytes.push(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
        }
        return position;
      }
      case 'u8s': {
        // Buffer.data is force_align: 16 in the TFLite schema.
        this.padTo(16, 4);
        const position = this.here();
        this.u32(node.bytes.length);
        this.bytes.push(...node.bytes);
        return position;
      }
      case 'tables': {
        this.padTo(4);
        const position = this.here();
        this.u32(node.items.length);
        const slots = node.items.map(() => this.reserveU32());
        node.items.forEach((item, i) => this.patchOffset(slots[i]!, this.write(item)));
        return position;
      }
      case 'table':
        return this.writeTable(node.slots);
    }
  }

  /** vtable first, then the table (soffset = table − vtable, positive), then its children. */
  private writeTable(slots: Array<FbField | undefined>): number {
    this.padTo(4);
    const vtablePosition = this.here();
    const vtableBytes = 4 + 2 * slots.length;
    const padded = vtableBytes + (vtableBytes % 4);
    const tablePosition = vtablePosition + padded;
    this.u16(vtableBytes);
    this.u16(4 + 4 * slots.length);
    slots.forEach((slot, i) => this.u16(slot === undefined ? 0 : 4 + 4 * i));
    while (this.here() < tablePosition) this.bytes.push(0);
    this.u32(tablePosition - vtablePosition);
    const children: Array<{ at: number; node: FbNode }> = [];
    for (const slot of slots) {
      const at = this.here();
      if (slot === undefined || slot.kind === 'u32') this.u32(slot?.value ?? 0);
      else if (slot.kind === 'u8') this.bytes.push(slot.value, 0, 0, 0);
      else {
        this.u32(0);
        children.push({ at, node: slot.node });
      }
    }
    for (const child of children) this.patchOffset(child.at, this.write(child.node));
    return tablePosition;
  }

  private here(): number {
    return this.base + this.bytes.length;
  }

  private u16(value: number): void {
    this.bytes.push(value & 0xff, (value >> 8) & 0xff);
  }

  private u32(value: number): void {
    this.bytes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  }

  private reserveU32(): number {
    const at = this.here();
    this.u32(0);
    return at;
  }

  /** A uoffset is relative to where it is stored and must point forward. */
  private patchOffset(at: number, target: number): void {
    if (target <= at) throw new Error(`flatbuffer offset at ${at} would point backwards to ${target}`);
    const value = target - at;
    const i = at - this.base;
    this.bytes[i] = value & 0xff;
    this.bytes[i + 1] = (value >>> 8) & 0xff;
    this.bytes[i + 2] = (value >>> 16) & 0xff;
    this.bytes[i + 3] = (value >>> 24) & 0xff;
  }
}

export const ref = (node: FbNode): FbField => ({ kind: 'ref', node });
export const str = (text: string): FbField => ref({ kind: 'string', text });

/**
 * ModelMetadata { name, …, subgraph_metadata: [SubGraphMetadata { input_tensor_metadata: [TensorMetadata {
 *   name, content: Content { content_properties: ImageProperties { color_space: RGB } },
 *   process_units: [ProcessUnit { options: NormalizationOptions { mean, std } }] }] }] }, identifier "M001".
 */
function encodeImageModelMetadata(mean: number, std: number): Uint8Array {
  const CONTENT_PROPERTIES_IMAGE = 2;
  const PROCESS_UNIT_NORMALIZATION = 1;
  const COLOR_SPACE_RGB = 1;
  const imageProperties: FbNode = { kind: 'table', slots: [{ kind: 'u8', value: COLOR_SPACE_RGB }] };
  const content: FbNode = { kind: 'table', slots: [{ kind: 'u8', value: CONTENT_PROPERTIES_IMAGE }, ref(imageProperties)] };
  const normalization: FbNode = { kind: 'table', slots: [ref({ kind: 'f32s', values: [mean] }), ref({ kind: 'f32s', values: [std] })] };
  const processUnit: FbNode = { kind: 'table', slots: [{ kind: 'u8', value: PROCESS_UNIT_NORMALIZATION }, ref(normalization)] };
  const inputTensor: FbNode = {
    kind: 'table',
    slots: [str('image'), undefined, undefined, ref(content), ref({ kind: 'tables', items: [processUnit] })],
  };
  const subgraph: FbNode = { kind: 'table', slots: [undefined, undefined, ref({ kind: 'tables', items: [inputTensor] })] };
  const model: FbNode = {
    kind: 'table',
    slots: [str('BlazeFace short range'), undefined, undefined, ref({ kind: 'tables', items: [subgraph] })],
  };
  return encodeFlatbuffer(model, 'M001');
}

/** A whole flatbuffer: root offset, 4-character file identifier, then the tree. */
export function encodeFlatbuffer(root: FbNode, identifier: string): Uint8Array {
  const HEADER_BYTES = 8;
  const writer = new ForwardWriter(HEADER_BYTES);
  const rootPosition = writer.write(root);
  const body = writer.result();
  const out = new Uint8Array(HEADER_BYTES + body.length);
  new DataView(out.buffer).setUint32(0, rootPosition, true);
  out.set(new TextEncoder().encode(identifier), 4);
  out.set(body, HEADER_BYTES);
  return out;
}

// ---- reading the source model's root table ----

export interface TableReader {
  /** Absolute position of the field's value, or null when absent. */
  field(slot: number): number | null;
  /** Absolute position a reference field points to, or null when absent. */
  target(slot: number): number | null;
}

export function tableAt(view: DataView, position: number): TableReader {
  const vtable = position - view.getInt32(position, true);
  const vtableBytes = view.getUint16(vtable, true);
  const field = (slot: number): number | null => {
    if (4 + 2 * slot >= vtableBytes) return null;
    const offset = view.getUint16(vtable + 4 + 2 * slot, true);
    return offset === 0 ? null : position + offset;
  };
  return {
    field,
    target: (slot) => {
      const at = field(slot);
      return at === null ? null : at + view.getUint32(at, true);
    },
  };
}

export function vectorElements(view: DataView, vector: number | null): number[] {
  if (vector === null) return [];
  const count = view.getUint32(vector, true);
  return Array.from({ length: count }, (_, i) => {
    const at = vector + 4 + 4 * i;
    return at + view.getUint32(at, true);
  });
}

/** TFLite Model slots (schema.fbs): version, operator_codes, subgraphs, description, buffers, metadata_buffer, metadata, signature_defs. */
export const MODEL_SLOTS = { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4, metadataBuffer: 5, metadata: 6, signatureDefs: 7 };

function appendMetadataBuffer(model: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  const view = new DataView(model.buffer, model.byteOffset, model.byteLength);
  if (new TextDecoder().decode(model.subarray(4, 8)) !== 'TFL3') throw new Error('not a TFLite model (no TFL3 identifier)');
  const root = tableAt(view, view.getUint32(0, true));
  const HEADER_BYTES = 8;
  const buildRegion = (shift: number): { bytes: Uint8Array; root: number } => {
    const moved = (position: number | null): FbField | undefined =>
      position === null ? undefined : ref({ kind: 'at', position: position + shift });
    const buffers = vectorElements(view, root.target(MODEL_SLOTS.buffers));
    const metadata = vectorElements(view, root.target(MODEL_SLOTS.metadata));
    const versionAt = root.field(MODEL_SLOTS.version);
    const newModel: FbNode = {
      kind: 'table',
      slots: [
        { kind: 'u32', value: versionAt === null ? 0 : view.getUint32(versionAt, true) },
        moved(root.target(MODEL_SLOTS.operatorCodes)),
        moved(root.target(MODEL_SLOTS.subgraphs)),
        moved(root.target(MODEL_SLOTS.description)),
        ref({
          kind: 'tables',
          items: [
            ...buffers.map((position): FbNode => ({ kind: 'at', position: position + shift })),
            { kind: 'table', slots: [ref({ kind: 'u8s', bytes: data })] },
          ],
        }),
        moved(root.target(MODEL_SLOTS.metadataBuffer)),
        ref({
          kind: 'tables',
          items: [
            ...metadata.map((position): FbNode => ({ kind: 'at', position: position + shift })),
            { kind: 'table', slots: [str(name), { kind: 'u32', value: buffers.length }] },
          ],
        }),
        moved(root.target(MODEL_SLOTS.signatureDefs)),
      ],
    };
    const writer = new ForwardWriter(HEADER_BYTES);
    const newRoot = writer.write(newModel);
    // The original bytes move by the region's length: a multiple of 16 keeps their alignment.
    writer.padTo(16, -writer.base);
    return { bytes: writer.result(), root: newRoot };
  };
  // The region's size does not depend on the shift (offsets are fixed width): measure with a shift
  // larger than any region, then build with the real one.
  const shift = buildRegion(1 << 20).bytes.length;
  const region = buildRegion(shift);
  if (region.bytes.length !== shift) throw new Error('metadata region changed size between passes');
  const out = new Uint8Array(model.length + shift);
  out.set(model.subarray(0, HEADER_BYTES));
  new DataView(out.buffer).setUint32(0, region.root, true);
  out.set(region.bytes, HEADER_BYTES);
  out.set(model.subarray(HEADER_BYTES), HEADER_BYTES + shift);
  return out;
}
