-- CreateTable
CREATE TABLE "CoCredit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "encounterId" INTEGER NOT NULL,
    "seniorId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "seniorConfirmedAt" DATETIME,
    "decidedBySlackId" TEXT,
    "decidedAt" DATETIME,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CoCredit_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "Encounter" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CoCredit_seniorId_fkey" FOREIGN KEY ("seniorId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "encounterId" INTEGER NOT NULL,
    "encounterVersion" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "deciderSlackId" TEXT NOT NULL,
    "note" TEXT,
    "decidedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Decision_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "Encounter" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VerificationRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programId" INTEGER NOT NULL,
    "attendingSlackId" TEXT NOT NULL,
    "channelId" TEXT,
    "messageTs" TEXT,
    "encounterIds" TEXT NOT NULL,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Review" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "residentId" INTEGER NOT NULL,
    "reviewerSlackId" TEXT NOT NULL,
    "reviewedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "periodFrom" TEXT NOT NULL,
    "periodUntil" TEXT NOT NULL,
    "comment" TEXT,
    CONSTRAINT "Review_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "job" TEXT NOT NULL,
    "programId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "claimedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    CONSTRAINT "JobRun_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EsirVerification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "residentId" INTEGER NOT NULL,
    "signedBySlackId" TEXT NOT NULL,
    "signedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "periodFrom" TEXT NOT NULL,
    "periodUntil" TEXT NOT NULL,
    "totalEncounters" INTEGER NOT NULL,
    "unlockedAt" DATETIME,
    "unlockedBySlackId" TEXT,
    CONSTRAINT "EsirVerification_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Program" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slackTeamId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "acgmeNumber" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "directorSlackId" TEXT,
    "channelId" TEXT,
    "timeZone" TEXT NOT NULL DEFAULT 'America/New_York',
    "reviewMonths" TEXT NOT NULL DEFAULT '1,7',
    "digestFrequency" TEXT NOT NULL DEFAULT 'weekly',
    "nudgeAfterDays" INTEGER,
    "verificationRequired" BOOLEAN NOT NULL DEFAULT false,
    "verificationBatchSize" INTEGER NOT NULL DEFAULT 5,
    "verificationMaxWaitDays" INTEGER NOT NULL DEFAULT 3
);
INSERT INTO "new_Program" ("acgmeNumber", "createdAt", "id", "kind", "name", "slackTeamId") SELECT "acgmeNumber", "createdAt", "id", "kind", "name", "slackTeamId" FROM "Program";
DROP TABLE "Program";
ALTER TABLE "new_Program" RENAME TO "Program";
CREATE UNIQUE INDEX "Program_slackTeamId_name_key" ON "Program"("slackTeamId", "name");
CREATE TABLE "new_Person" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "programId" INTEGER NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "displayName" TEXT,
    "role" TEXT NOT NULL,
    "track" TEXT,
    "pgy" INTEGER,
    "residencyStart" TEXT,
    "esirStart" TEXT,
    "esirEnd" TEXT,
    "timeZone" TEXT,
    "expectedGraduation" TEXT,
    "icuRotationCompleted" BOOLEAN NOT NULL DEFAULT false,
    "nudgesPausedUntil" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Person_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Person" ("active", "createdAt", "displayName", "esirEnd", "esirStart", "id", "pgy", "programId", "residencyStart", "role", "slackTeamId", "slackUserId", "timeZone", "track", "updatedAt") SELECT "active", "createdAt", "displayName", "esirEnd", "esirStart", "id", "pgy", "programId", "residencyStart", "role", "slackTeamId", "slackUserId", "timeZone", "track", "updatedAt" FROM "Person";
DROP TABLE "Person";
ALTER TABLE "new_Person" RENAME TO "Person";
CREATE INDEX "Person_programId_idx" ON "Person"("programId");
CREATE UNIQUE INDEX "Person_slackTeamId_slackUserId_key" ON "Person"("slackTeamId", "slackUserId");
CREATE TABLE "new_Encounter" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "residentId" INTEGER NOT NULL,
    "performedOn" TEXT NOT NULL,
    "academicYear" INTEGER NOT NULL,
    "pgy" INTEGER,
    "kind" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "supervisorSlackId" TEXT,
    "notes" TEXT,
    "source" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "enteredInAcgme" BOOLEAN NOT NULL DEFAULT false,
    "enteredInAcgmeAt" DATETIME,
    "verification" TEXT NOT NULL DEFAULT 'not_required',
    "verifiedBySlackId" TEXT,
    "verifiedAt" DATETIME,
    "verificationNote" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "lockedByVerificationId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Encounter_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Encounter" ("academicYear", "createdAt", "enteredInAcgme", "id", "kind", "notes", "performedOn", "pgy", "residentId", "role", "source", "sourceKey", "supervisorSlackId", "updatedAt") SELECT "academicYear", "createdAt", "enteredInAcgme", "id", "kind", "notes", "performedOn", "pgy", "residentId", "role", "source", "sourceKey", "supervisorSlackId", "updatedAt" FROM "Encounter";
DROP TABLE "Encounter";
ALTER TABLE "new_Encounter" RENAME TO "Encounter";
CREATE UNIQUE INDEX "Encounter_sourceKey_key" ON "Encounter"("sourceKey");
CREATE INDEX "Encounter_residentId_performedOn_idx" ON "Encounter"("residentId", "performedOn");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "CoCredit_encounterId_key" ON "CoCredit"("encounterId");

-- CreateIndex
CREATE INDEX "CoCredit_seniorId_status_idx" ON "CoCredit"("seniorId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Decision_encounterId_encounterVersion_kind_key" ON "Decision"("encounterId", "encounterVersion", "kind");

-- CreateIndex
CREATE INDEX "Review_residentId_reviewedAt_idx" ON "Review"("residentId", "reviewedAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_programId_period_key" ON "JobRun"("job", "programId", "period");

