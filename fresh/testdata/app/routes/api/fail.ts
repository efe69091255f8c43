export const handler = {
  GET(): Response {
    throw new Error("secret: password=hunter2");
  },
};
