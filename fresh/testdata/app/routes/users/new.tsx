export default function NewUser() {
  return <p>new user form</p>;
}
