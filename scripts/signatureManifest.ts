/**
 * Grafana's plugin signature manifest (dist/MANIFEST.txt, written by `npx @grafana/sign-plugin`):
 * a PGP clear-signed JSON document listing the SHA-256 of every file of the plugin. Grafana rejects
 * a signed plugin whose files differ from that list, so the packager checks it before zipping.
 */

export interface SignatureManifest {
  plugin: string;
  version: string;
  signatureType?: string;
  /** Path relative to the plugin folder (`/`-separated) → lower-case hex SHA-256. */
  files: Record<string, string>;
}

const SIGNED_MESSAGE = '-----BEGIN PGP SIGNED MESSAGE-----';
const SIGNATURE = '-----BEGIN PGP SIGNATURE-----';

/** The manifest's JSON body, or an error saying why the text is not a manifest. */
export function parseManifest(text: string): { ok: true; manifest: SignatureManifest } | { ok: false; error: string } {
  const start = text.indexOf(SIGNED_MESSAGE);
  const end = text.indexOf(SIGNATURE);
  if (start < 0 || end < start) {
    return { ok: false, error: 'MANIFEST.txt is not a PGP clear-signed message; re-run npx @grafana/sign-plugin.' };
  }
  // Armor headers (e.g. "Hash: SHA512") end at the first empty line.
  const body = text.slice(start + SIGNED_MESSAGE.length, end).replace(/^[\s\S]*?\r?\n\r?\n/, '');
  try {
    const manifest = JSON.parse(body) as SignatureManifest;
    if (typeof manifest.plugin !== 'string' || typeof manifest.files !== 'object' || manifest.files === null) {
      return { ok: false, error: 'MANIFEST.txt has no "plugin" or "files"; re-run npx @grafana/sign-plugin.' };
    }
    return { ok: true, manifest };
  } catch {
    return { ok: false, error: 'MANIFEST.txt does not hold a JSON document; re-run npx @grafana/sign-plugin.' };
  }
}

/** Differences between the manifest and the files about to be packaged (MANIFEST.txt itself excluded). */
export function manifestMismatches(manifest: SignatureManifest, actual: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, hash] of Object.entries(actual)) {
    const signed = manifest.files[path];
    if (signed === undefined) {
      problems.push(`${path} is not in MANIFEST.txt`);
    } else if (signed.toLowerCase() !== hash) {
      problems.push(`${path} changed after signing`);
    }
  }
  for (const path of Object.keys(manifest.files)) {
    if (!(path in actual)) {
      problems.push(`${path} is in MANIFEST.txt but missing from dist/`);
    }
  }
  return problems;
}
