/**
 * The stage's lights, in one place: the lit sphere meshes get them from three's lighting, the
 * impostor tokens (tokens.ts) shade with the same directions in their fragment shader.
 */

/** The hemisphere light: sky colour, ground colour, intensity. */
export const HEMISPHERE = { sky: 0xffffff, ground: 0x303040, intensity: 2.2 } as const;

/** The key light, attached to the camera: its position in view space and intensity. */
export const KEY_LIGHT = { position: [2, 3, 4] as const, intensity: 1.2 } as const;

/** Unit vector towards the key light, in view space. */
export const KEY_LIGHT_VIEW: readonly [number, number, number] = (() => {
  const [x, y, z] = KEY_LIGHT.position;
  const len = Math.hypot(x, y, z);
  return [x / len, y / len, z / len];
})();
