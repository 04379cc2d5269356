// One import for specs: `import { loginAsCityStaff, latestMailTo, … } from "./support";`
export * from "./a11y";
export * from "./auth";
export * from "./mail";
export * from "./stack";
export * from "./touch-targets";
