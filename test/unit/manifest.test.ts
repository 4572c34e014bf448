import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const testDir = path.dirname(fileURLToPath(import.meta.url));
const manifestPath = path.resolve(testDir, "../../slack-manifest.yml");
// Slack's published manifest schema is kept in the shared folder beside the repository.
const schemaPath = path.resolve(testDir, "../../../shared/reference/slack-app-manifest.schema.json");
const requestUrl = "https://caselog.example.org/slack/events";

interface SlashCommand {
  command: string;
  url?: string;
  description: string;
  usage_hint?: string;
  should_escape?: boolean;
}

interface Manifest {
  _metadata?: { major_version?: number };
  display_information: { name: string };
  features?: {
    app_home?: Record<string, boolean>;
    bot_user?: { display_name: string; always_online?: boolean };
    slash_commands?: SlashCommand[];
  };
  oauth_config?: { scopes?: { bot?: string[] } };
  settings?: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled?: boolean;
    socket_mode_enabled?: boolean;
  };
}

function loadManifest(): Manifest {
  return parse(readFileSync(manifestPath, "utf8")) as Manifest;
}

/**
 * Compiles the draft-07 schema in strict mode, declaring its two annotation keywords. Type
 * checks are off because the schema puts `minItems` on string items, which Ajv only warns about.
 */
function compileSchema() {
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  ajv.addVocabulary(["regex", "_note"]);
  ajv.addFormat("uri", (value: string) => URL.canParse(value));
  return ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);
}

const validateManifest = compileSchema();

describe("slack-manifest.yml", () => {
  it("matches Slack's manifest schema", () => {
    const valid = validateManifest(loadManifest());

    expect(validateManifest.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("uses manifest major version 1", () => {
    expect(loadManifest()._metadata?.major_version).toBe(1);
  });

  it("declares the /caselog command", () => {
    const commands = loadManifest().features?.slash_commands ?? [];

    expect(commands).toHaveLength(1);
    expect(commands[0]).toEqual({
      command: "/caselog",
      url: requestUrl,
      description: "Log a case, show progress, or open the entry form",
      usage_hint: "[procedure] [date] [@attending] | progress | help",
      should_escape: true,
    });
  });

  it("requests exactly the needed bot scopes", () => {
    const scopes = loadManifest().oauth_config?.scopes?.bot ?? [];

    expect([...scopes].sort()).toEqual(["chat:write", "commands", "files:write", "im:write", "users:read"]);
  });

  it("subscribes to app_home_opened", () => {
    const events = loadManifest().settings?.event_subscriptions;

    expect(events?.request_url).toBe(requestUrl);
    expect(events?.bot_events).toEqual(["app_home_opened"]);
  });

  it("enables interactivity on the events URL", () => {
    const interactivity = loadManifest().settings?.interactivity;

    expect(interactivity?.is_enabled).toBe(true);
    expect(interactivity?.request_url).toBe(requestUrl);
  });

  it("configures the bot user and App Home", () => {
    const manifest = loadManifest();

    expect(manifest.display_information.name).toBe("Caselog");
    expect(manifest.features?.bot_user).toEqual({ display_name: "caselog", always_online: true });
    expect(manifest.features?.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it("uses HTTP delivery without org deploy", () => {
    const settings = loadManifest().settings;

    expect(settings?.socket_mode_enabled).toBe(false);
    expect(settings?.org_deploy_enabled).toBe(false);
  });

  it("is rejected by the schema when invalid", () => {
    const manifest = loadManifest();
    const broken = { ...manifest, features: { ...manifest.features, slash_commands: [{ command: "caselog" }] } };

    expect(validateManifest(broken)).toBe(false);
    const failedPaths = (validateManifest.errors ?? []).map((error) => error.instancePath);
    expect(failedPaths).toContain("/features/slash_commands/0/command");
    expect(failedPaths).toContain("/features/slash_commands/0");
  });
});
