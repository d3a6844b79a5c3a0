import { InvalidArgumentError } from 'commander';

/** Option parsers for commander: they reject bad values with a message naming the expected form. */
export function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got '${value}'`);
  return parsed;
}

export function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected a positive number, got '${value}'`);
  return parsed;
}

export function idList(value: string): string[] {
  const ids = value.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
  if (ids.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return ids;
}

export function intList(value: string): number[] {
  return idList(value).map((part) => {
    const parsed = Number(part);
    if (!Number.isInteger(parsed)) throw new InvalidArgumentError(`expected whole numbers separated by commas, got '${value}'`);
    return parsed;
  });
}

export function frameSize(value: string): { width: number; height: number } {
  const match = /^(\d+)x(\d+)$/.exec(value);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width < 16 || height < 16 || width % 2 !== 0 || height % 2 !== 0) {
    throw new InvalidArgumentError(`expected WIDTHxHEIGHT with even numbers of at least 16, e.g. 640x360, got '${value}'`);
  }
  return { width, height };
}
