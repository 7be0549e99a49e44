from django.contrib import admin

from governance import models

for model in (
    models.Charter,
    models.Cadence,
    models.Meeting,
    models.ActionItem,
    models.EscalationLadderLevel,
    models.Escalation,
    models.JointBusinessPlan,
    models.InnovationInitiative,
    models.InnovationChallenge,
    models.ChallengeProposal,
    models.LessonLearned,
):
    admin.site.register(model)
