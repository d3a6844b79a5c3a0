/**
 * Rates measured in the clip's own time, as real-world SI values. `slowMotion`: how many times slower
 * than real time the clip plays (4: filmed at 120 fps, played at 30), so a clip second is 1/slowMotion
 * of a real second: a speed grows by slowMotion, an acceleration by its square.
 */

/** px per clip second → m per real second: v·slowMotion / pxPerM. */
export function realSpeedMS(pxS: number, pxPerM: number, slowMotion: number): number {
  return (pxS * slowMotion) / pxPerM;
}

/** px per clip second² → m per real second²: a·slowMotion² / pxPerM. */
export function realAccelerationMS2(pxS2: number, pxPerM: number, slowMotion: number): number {
  return (pxS2 * slowMotion * slowMotion) / pxPerM;
}
