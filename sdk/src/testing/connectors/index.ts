export { connectorConformance, type ConnectorConformanceOptions } from './suite.js';
export { startFakePlatform, defaultFault, type PlatformFake, type FakePlatformOptions, type FakeRoute, type FakeRequest, type FakeResponse, type Fault, type AnsweredFault, type FaultMatch, type RecordedRequest } from './fake-platform.js';
export { closeNetwork, type ClosedNetwork } from './network-guard.js';
export { limitDrafts, textOfLength, deepFreeze, type LimitDraft } from './limit-drafts.js';
export { followAuthorization } from './browser.js';
