/** Default ids shared by the fake Slack server and the payload builders, so they agree. */
export interface FakeIdentity {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
}

export const DEFAULT_IDENTITY: FakeIdentity = {
  teamId: "T0CASELOG",
  teamDomain: "caselog-test",
  botUserId: "U0CASELOGBOT",
  botId: "B0CASELOG",
  appId: "A0CASELOG",
};

/** Public channel used when a test does not name one. */
export const DEFAULT_CHANNEL_ID = "C0CASELOG";
