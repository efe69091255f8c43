export const handler = {
  POST(): Response {
    throw new TypeError("cannot read properties of undefined");
  },
};
