import 'rate-limiter-flexible';

declare module 'rate-limiter-flexible' {
  /** Shipped by the package (lib/RateLimiterCluster.js), missing from its type declarations. */
  export class RateLimiterClusterMaster {}
}
