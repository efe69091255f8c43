export default function Users() {
  return <p>users index</p>;
}
