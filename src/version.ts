// The software's name and version as package.json states them (shown by /health and NodeInfo).
import pkg from "../package.json" with { type: "json" };

export const SOFTWARE_NAME = "atelier";
export const SOFTWARE_VERSION: string = pkg.version;
export const SOFTWARE_REPOSITORY = "https://github.com/atelier-social/atelier";
