import type { App } from "@slack/bolt";
import type { SlackDeps } from "../context.js";
import { homeDeleteButton, homeLogCaseButton, homeOpened, homePageButton, republishAfterChange } from "../home/listeners.js";
import { snoozeButton, vacationCommand } from "../home/nudge-listeners.js";
import { ADMIN_ACTIONS, ADMIN_CALLBACKS } from "./ids.js";
import { openReviewButton, reviewSubmission } from "./review-listeners.js";
import { adminCommand } from "./roster-command.js";

/**
 * Registers the program-director features: `/caselog admin` and `/caselog vacation`, the
 * review buttons and modal, the App Home and its buttons, and the nudge Snooze button.
 */
export function registerProgramFeatures(app: App, deps: SlackDeps): void {
  app.use(republishAfterChange(deps));

  deps.subcommands.register("admin", adminCommand);
  deps.subcommands.register("vacation", vacationCommand);

  app.event("app_home_opened", homeOpened(deps));
  app.action(ADMIN_ACTIONS.homeLogCase, homeLogCaseButton(deps));
  app.action(ADMIN_ACTIONS.homeDelete, homeDeleteButton(deps));
  app.action(ADMIN_ACTIONS.homePreviousPage, homePageButton(deps));
  app.action(ADMIN_ACTIONS.homeNextPage, homePageButton(deps));
  app.action(ADMIN_ACTIONS.nudgeSnooze, snoozeButton(deps));
  app.action(ADMIN_ACTIONS.openReview, openReviewButton(deps));
  app.view(ADMIN_CALLBACKS.review, reviewSubmission(deps));
}
