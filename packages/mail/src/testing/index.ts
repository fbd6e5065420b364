/** For tests elsewhere (HTTP, browser): reading what was sent, and throwaway Wallet material. */
export { type TestWalletMaterial, testWalletMaterial } from "./certificates.ts";
export {
  INTERNAL_ID,
  icsEvent,
  icsLines,
  pdfPagesText,
  unzip,
  visibleText,
  withoutUrls,
} from "./helpers.ts";
