import crypto from "node:crypto";
import { z } from "zod";

/**
 * Button values that cannot be forged: a JSON payload in base64url, a dot, and an HMAC-SHA256
 * tag keyed by a secret derived from the signing secret. Slack returns a button's value
 * unchanged, so a value whose tag does not match was changed outside Slack.
 */
export class SignedValues {
  private readonly key: Buffer;

  constructor(signingSecret: string) {
    this.key = crypto.createHmac("sha256", signingSecret).update("caselog button values").digest();
  }

  private tag(payload: string): string {
    return crypto.createHmac("sha256", this.key).update(payload).digest("base64url").slice(0, 22);
  }

  sign(value: unknown): string {
    const payload = Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${payload}.${this.tag(payload)}`;
  }

  /** Returns the parsed value, or null when the tag or the shape is wrong. */
  verify<T>(signed: string | undefined, schema: z.ZodType<T>): T | null {
    if (!signed || signed.length > 2000) return null;

    const [payload, tag, extra] = signed.split(".");
    if (!payload || !tag || extra !== undefined) return null;

    const expected = Buffer.from(this.tag(payload));
    const received = Buffer.from(tag);
    if (expected.length !== received.length || !crypto.timingSafeEqual(expected, received)) return null;

    try {
      const parsed = schema.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
