export { startTestKernel, type TestKernel, type TestKernelOptions, type TestTenant, type TestPrincipal } from './test-kernel.js';
export { startTestCluster, testCluster, sweepStaleClusters, CLUSTER_ENV, type ClusterInfo } from './cluster.js';
export { createTestDatabase, type TestDatabase } from './databases.js';
export { checkTenantSchema, type SchemaViolation } from './schema-check.js';
export { badInputCases, runBadInputCheck, type BadInputCase, type BadInputFailure } from './bad-input.js';
export { pluginChecks } from './plugin-checks.js';
export { TestTokens, testAuthPlugin } from './auth.js';
export { startProcess, type TestProcess } from './processes.js';
export * from './connectors/index.js';
