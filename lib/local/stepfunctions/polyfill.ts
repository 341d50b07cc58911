/**
 * `aws-local-stepfunctions` 3.x calls `Promise.withResolvers` (Node 22+) for every Task state.
 * On Node 20 the call throws a TypeError inside the Task, which `Catch: States.ALL` swallows, so a
 * pipeline silently takes its failure path. The runtime imports this module first so no caller
 * can forget it.
 */

interface PromiseWithResolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type PromiseConstructorWithResolvers = PromiseConstructor & {
  withResolvers?: <T>() => PromiseWithResolvers<T>;
};

const promiseConstructor: PromiseConstructorWithResolvers = Promise;

if (typeof promiseConstructor.withResolvers !== 'function') {
  Object.defineProperty(promiseConstructor, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>(): PromiseWithResolvers<T> {
      let resolve!: PromiseWithResolvers<T>['resolve'];
      let reject!: PromiseWithResolvers<T>['reject'];
      const promise = new Promise<T>((resolvePromise, rejectPromise) => {
        resolve = resolvePromise;
        reject = rejectPromise;
      });
      return { promise, resolve, reject };
    },
  });
}
