// The tool's own RSA key pair for LTI 1.3: made once (2048 bits) in the service's folder, private key
// PKCS#8 PEM, mode 600, written whole and linked into place so two servers starting at once agree on
// one key. The public half is published at /lti/jwks (its `kid` the key's JWK thumbprint, RFC 7638)
// and signs the tool's client assertions (services.ts).
import * as fs from "fs";
import * as path from "path";
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  type JWK,
} from "jose";
import { createPublicKey, type KeyObject } from "crypto";

export interface ToolKeys {
  privateKey: KeyObject;
  /** The public key as a JWK (kid, alg RS256, use sig), as /lti/jwks lists it. */
  jwk: JWK & { kid: string };
  /** The public key as PEM (SPKI), for platforms that take a pasted key instead of a JWKS URL. */
  publicPem: string;
}

export const ALG = "RS256";

/** The tool's keys from `file` (made if absent, and said through `log`). */
export async function toolKeys(file: string, log: (line: string) => void = () => undefined): Promise<ToolKeys> {
  if (!fs.existsSync(file)) {
    const { privateKey } = await generateKeyPair(ALG, { modulusLength: 2048, extractable: true });
    const pem = await exportPKCS8(privateKey);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, pem, { mode: 0o600, flag: "wx" });
    try {
      fs.linkSync(temp, file);
      log(
        `LTI: made the tool's key pair in ${path.resolve(file)} (private key, mode 600; its public half is /lti/jwks)`,
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e; // another server made it first: theirs it is
    } finally {
      fs.unlinkSync(temp);
    }
  }
  const privateKey = (await importPKCS8(fs.readFileSync(file, "utf8"), ALG, { extractable: true })) as KeyObject;
  const publicKey = createPublicKey(privateKey);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, jwk: { ...jwk, kid, alg: ALG, use: "sig" }, publicPem: await exportSPKI(publicKey) };
}
