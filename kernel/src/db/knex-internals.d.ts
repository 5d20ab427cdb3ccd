/** The method names knex puts on a knex instance to start a query chain (`knex.select(...)`). */
declare module 'knex/lib/query/method-constants.js' {
  const methods: readonly string[];
  export default methods;
}
