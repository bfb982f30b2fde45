// vega and vega-lite are ES modules; a tslab cell compiles to CommonJS and cannot import them.
// A dynamic import() from a real CommonJS file can.
module.exports = (specifier) => import(specifier);
