export default function Boom(): never {
  throw new Error("render exploded at /srv/secret/path.ts:12");
}
