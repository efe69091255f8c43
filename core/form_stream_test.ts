import assert from "node:assert/strict";
import { type FormStreamLimits, indexOfBytes, readFormFields } from "./form_stream.ts";
import { HttpError } from "./http_error.ts";

const LIMITS: FormStreamLimits = {
  maxBodyBytes: 1 << 20,
  maxFieldBytes: 64,
  maxKeptBytes: 256,
  maxFields: 10,
};

/** A request whose body arrives in chunks of `size` bytes (no Content-Length: chunked on the wire). */
async function chunked(form: FormData | URLSearchParams, size: number): Promise<Request> {
  const encoded = new Request("http://x/", { method: "POST", body: form });
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.byteLength; at += size) controller.enqueue(bytes.slice(at, at + size));
      controller.close();
    },
  });
  return new Request("http://x/", {
    method: "POST",
    body,
    headers: { "content-type": encoded.headers.get("content-type")! },
  });
}

Deno.test("indexOfBytes - finds a needle, also at the very end, and answers -1 otherwise", () => {
  const hay = new TextEncoder().encode("ab\r\n--b\r\n--bound");
  assert.equal(indexOfBytes(hay, new TextEncoder().encode("\r\n--bound")), 7);
  assert.equal(indexOfBytes(hay, new TextEncoder().encode("\r\n--bx")), -1);
});

Deno.test("readFormFields - multipart split at every byte keeps text fields and skips files", async () => {
  const form = new FormData();
  form.append("subject", "Re: Grüße\r\n--not a boundary");
  form.append("attachment-1", new File([new Uint8Array(5000).fill(13)], "a.bin"));
  form.append("token", "t".repeat(50));
  form.append("empty", "");
  for (const size of [1, 2, 7, 64, 100_000]) {
    const fields = await readFormFields(await chunked(form, size), LIMITS);
    assert.deepEqual(
      fields,
      { subject: "Re: Grüße\r\n--not a boundary", token: "t".repeat(50), empty: "" },
      `${size}`,
    );
  }
});

Deno.test("readFormFields - urlencoded, split anywhere, decodes + and %XX", async () => {
  const form = new URLSearchParams({ a: "x y&z", "b c": "ü", token: "abc" });
  for (const size of [1, 3, 1000]) {
    assert.deepEqual(await readFormFields(await chunked(form, size), LIMITS), {
      a: "x y&z",
      "b c": "ü",
      token: "abc",
    });
  }
});

Deno.test("readFormFields - a value is cut at the field cap and the total budget holds", async () => {
  const form = new FormData();
  for (let i = 0; i < 8; i++) form.append(`f${i}`, "v".repeat(100));
  const fields = await readFormFields(await chunked(form, 13), LIMITS);
  assert.equal(fields.f0, "v".repeat(64));
  assert.ok(Object.values(fields).join("").length <= LIMITS.maxKeptBytes);
  assert.equal(fields.f7, undefined, "past the total budget fields are dropped");
});

Deno.test("readFormFields - the body limit holds without Content-Length (413)", async () => {
  const form = new FormData();
  form.append("big", new File([new Uint8Array(200_000)], "big.bin"));
  await assert.rejects(
    readFormFields(await chunked(form, 4096), { ...LIMITS, maxBodyBytes: 100_000 }),
    (e) => e instanceof HttpError && e.status === 413,
  );
});

Deno.test("readFormFields - onField can refuse before the rest of the body is read", async () => {
  let pulled = 0;
  const head = new TextEncoder().encode(
    `--XyZ\r\nContent-Disposition: form-data; name="signature"\r\n\r\nforged\r\n--XyZ\r\n` +
      `Content-Disposition: form-data; name="attachment"; filename="a"\r\n\r\n`,
  );
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(pulled++ === 0 ? head : new Uint8Array(65536));
    },
  });
  const req = new Request("http://x/", {
    method: "POST",
    body,
    headers: { "content-type": "multipart/form-data; boundary=XyZ" },
  });
  await assert.rejects(
    readFormFields(req, { ...LIMITS, maxBodyBytes: 1 << 30 }, (fields) => {
      if (fields.signature === "forged") throw new HttpError(406, "forged");
    }),
    (e) => e instanceof HttpError && e.status === 406,
  );
  assert.ok(pulled < 5, `stopped after ${pulled} chunks`);
});

Deno.test("readFormFields - malformed multipart and other content types are a 400", async () => {
  const bad = new Request("http://x/", {
    method: "POST",
    body: '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end',
    headers: { "content-type": "multipart/form-data; boundary=XyZ" },
  });
  await assert.rejects(readFormFields(bad, LIMITS), (e) => e instanceof HttpError && e.status === 400);
  const json = new Request("http://x/", {
    method: "POST",
    body: "{}",
    headers: { "content-type": "application/json" },
  });
  await assert.rejects(readFormFields(json, LIMITS), (e) => e instanceof HttpError && e.status === 400);
});
