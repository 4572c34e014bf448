/** Action and callback ids of the roster, review, Home and nudge surfaces. */
export const ADMIN_ACTIONS = {
  openReview: "review_open",
  homeLogCase: "home_log_case",
  homeDelete: "home_delete_encounter",
  homePage: "home_page",
  nudgeSnooze: "nudge_snooze",
} as const;

export const ADMIN_CALLBACKS = {
  review: "review_modal",
} as const;

export const REVIEW_BLOCKS = {
  comment: "review_comment",
} as const;
