-- CreateTable
CREATE TABLE "Program" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slackTeamId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "acgmeNumber" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Person" (
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
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Person_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Encounter" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Encounter_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EncounterProcedure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "encounterId" INTEGER NOT NULL,
    "procedureId" TEXT NOT NULL,
    "category" TEXT,
    "complexity" INTEGER NOT NULL,
    CONSTRAINT "EncounterProcedure_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "Encounter" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DrCount" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "residentId" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "academicYear" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "DrCount_residentId_fkey" FOREIGN KEY ("residentId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorSlackId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" INTEGER NOT NULL,
    "before" TEXT,
    "after" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "Program_slackTeamId_name_key" ON "Program"("slackTeamId", "name");

-- CreateIndex
CREATE INDEX "Person_programId_idx" ON "Person"("programId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_slackTeamId_slackUserId_key" ON "Person"("slackTeamId", "slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Encounter_sourceKey_key" ON "Encounter"("sourceKey");

-- CreateIndex
CREATE INDEX "Encounter_residentId_performedOn_idx" ON "Encounter"("residentId", "performedOn");

-- CreateIndex
CREATE INDEX "EncounterProcedure_category_idx" ON "EncounterProcedure"("category");

-- CreateIndex
CREATE UNIQUE INDEX "EncounterProcedure_encounterId_procedureId_key" ON "EncounterProcedure"("encounterId", "procedureId");

-- CreateIndex
CREATE UNIQUE INDEX "DrCount_residentId_category_academicYear_key" ON "DrCount"("residentId", "category", "academicYear");

-- CreateIndex
CREATE INDEX "AuditEvent_entity_entityId_idx" ON "AuditEvent"("entity", "entityId");

