/**
 * Sets `vars` in the process environment and returns what puts the earlier values back, in the same
 * env object: with `isolate: false` the files after this one run in this process and must find
 * process.env as it was (a copy assigned to process.env would no longer turn values into strings).
 */
export function setEnv(vars: Readonly<Record<string, string>>): () => void {
  const before = Object.keys(vars).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, vars);
  return () => {
    for (const [key, value] of before) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
