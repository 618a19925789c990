// A Stryker ignorer (npm run mutate): the arguments of `.openapi(…)` calls are
// the OpenAPI document's words and examples, not behaviour; what a schema
// accepts is its zod chain, which is mutated. Their mutants are reported as
// ignored, with this reason.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'openapi-docs', {
    shouldIgnore(path) {
      for (let at = path; at !== null; at = at.parentPath) {
        const node = at.node;
        if (
          node.type === 'CallExpression' &&
          node.callee.type === 'MemberExpression' &&
          node.callee.property.type === 'Identifier' &&
          node.callee.property.name === 'openapi' &&
          at !== path &&
          node.arguments.includes(childOf(at, path))
        ) {
          return 'OpenAPI documentation text (the schema itself is its zod chain)';
        }
      }
      return undefined;
    },
  }),
];

/** The child of `ancestor` on the way down to `path`. */
function childOf(ancestor, path) {
  let at = path;
  while (at.parentPath !== null && at.parentPath !== ancestor) at = at.parentPath;
  return at.node;
}
