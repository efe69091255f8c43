export default function Pricing() {
  return <p id="pricing">pricing page</p>;
}
