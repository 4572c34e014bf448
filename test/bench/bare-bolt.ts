/** The benchmark's baseline: a Bolt app that acknowledges /caselog and responds with fixed text. */
import { App, LogLevel } from "@slack/bolt";

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  tokenVerificationEnabled: false,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});

app.command("/caselog", async ({ ack, respond }) => {
  await ack();
  await respond({ response_type: "ephemeral", text: "Logged." });
});

await app.start(Number(process.env.PORT));
console.log(JSON.stringify({ msg: "Caselog started", port: Number(process.env.PORT) }));
