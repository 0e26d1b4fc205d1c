// Vite's `?url` imports give the address of the emitted file (see map/maplibre.ts, daily/pdf.ts).
declare module '*?url' {
  const url: string;
  export default url;
}
