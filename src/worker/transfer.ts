/**
 * Helpers to hand typed arrays to a worker by transfer (Comlink.transfer) without surprising
 * the sender: a view that covers its whole ArrayBuffer is transferred as is (the sender's array
 * becomes empty, so pass arrays you no longer use); a view into a larger buffer, or one on a
 * SharedArrayBuffer, is copied first so the rest of that buffer stays intact.
 */
import * as Comlink from 'comlink';

/** `a` itself when it owns its whole transferable buffer, else a copy that does. */
export function transferable<T extends Float32Array | Float64Array>(a: T): T {
  const owns = a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
  return owns ? a : (a.slice() as T);
}

/** Marks `value` for transfer of the buffer of `array` (as returned by `transferable`). */
export function withTransfer<V>(value: V, array: Float32Array | Float64Array): V {
  return Comlink.transfer(value, [array.buffer as ArrayBuffer]);
}
