/** WGSL sources are imported as strings with Vite's `?raw` suffix (STYLE.md §1). */
declare module '*.wgsl?raw' {
  const source: string;
  export default source;
}
