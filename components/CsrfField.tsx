/** The hidden `_csrf` field every signed-in form posts (web/csrf.ts checks it). */
export default function CsrfField({ token }: { token?: string }) {
  return <input type="hidden" name="_csrf" value={token ?? ""} />;
}
