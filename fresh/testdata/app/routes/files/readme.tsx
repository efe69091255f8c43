export default function Readme() {
  return <p id="file">static readme</p>;
}
