"""Case work after intake: assignment, notes, documents, follow-ups and referrals, creditor
meetings, plan monitoring, the timeline and the dashboard, with their schemas."""
