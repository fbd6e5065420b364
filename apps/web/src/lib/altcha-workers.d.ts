/** Vite's `?worker` imports (lib/altcha.ts): a constructor of a module worker. */
declare module "altcha/workers/*?worker" {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
