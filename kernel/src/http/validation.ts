import type { FastifyInstance, FastifySchema, FastifySchemaCompiler } from 'fastify';
import { Ajv, type AnySchema } from 'ajv';
import addFormats from 'ajv-formats';

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, removeAdditional: false, coerceTypes: coerce ? 'array' : false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

/**
 * URL parts arrive as strings and must be coerced to their declared types; JSON bodies
 * must not be: `{"title": 7}` for a string field is a client error, not `"7"`.
 */
export function installValidators(app: FastifyInstance): void {
  const lenient = makeAjv(true);
  const strictBody = makeAjv(false);
  const known = new Set<string>();
  const syncShared = () => {
    for (const [id, schema] of Object.entries(app.getSchemas())) {
      if (known.has(id)) continue;
      known.add(id);
      lenient.addSchema(schema as AnySchema, id);
      strictBody.addSchema(schema as AnySchema, id);
    }
  };
  const compiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
    syncShared();
    const validate = (httpPart === 'body' ? strictBody : lenient).compile(schema as AnySchema);
    return validate as ReturnType<FastifySchemaCompiler<FastifySchema>>;
  };
  app.setValidatorCompiler(compiler);
}
