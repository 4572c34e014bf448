/** Action and callback ids of the roster, review, Home and nudge surfaces. */
export const ADMIN_ACTIONS = {
  openReview: "review_open",
  homeLogCase: "home_log_case",
  homeDelete: "home_delete_encounter",
  homePreviousPage: "home_page_previous",
  homeNextPage: "home_page_next",
  nudgeSnooze: "nudge_snooze",
} as const;

export const ADMIN_CALLBACKS = {
  review: "review_modal",
} as const;

export const REVIEW_BLOCKS = {
  comment: "review_comment",
} as const;
