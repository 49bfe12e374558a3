"""One report's life: its steps (routed or triaged, accepted, answered, rated, closed; or returned,
rejected, reopened, stalled), each a ReportEvent at its own time before now."""

import datetime as dt

from government.models import AgencyKind

from ..models import Answer, AnswerStatus, EventKind, Rating, ReportEvent, ReportStatus, Satisfaction
from .content import (
    ANSWERS,
    LATE_SCORES,
    RATING_COMMENTS,
    REJECT_REASONS,
    REOPEN_REASONS,
    RETURN_REASONS,
    RETURNED_TO,
    SCORES,
)
from .timeline import DAY, HOUR, STALL_DAYS


class Life:
    """One report's steps, taken while they fall before now; the first step that would not stops it."""

    def __init__(self, world, rng, report, *, fresh, pace):
        self.world, self.rng, self.report = world, rng, report
        self.fresh, self.pace = fresh, pace
        self.events, self.answers, self.ratings = [], [], []
        self.at = report.created_at

    def wait(self, window, low, high):
        """When the next step comes: a share of the running clock's window (late when above 1), or, for
        the current month's quick fixes, within hours."""
        if self.fresh:
            return self.at + HOUR * self.rng.uniform(0.2, 1.5) * self.pace
        return self.at + max(window, HOUR) * self.rng.uniform(low, high)

    def step(self, at, kind, *, to_status="", actor=None, agency=None, message="", public=True):
        if at >= self.world.now:
            return False
        report = self.report
        event = ReportEvent(
            report=report,
            kind=kind,
            actor=actor,
            agency=agency,
            from_status=report.status if to_status and kind != EventKind.SUBMITTED else "",
            to_status=to_status,
            message=message,
            is_public=public,
            notified_at=at,
        )
        event.created_at = at
        self.events.append(event)
        if to_status:
            report.status = to_status
        report.updated_at = self.at = at
        return True

    def stalls(self, chance):
        """Whether the work stops here (a backlog, past its clock sooner or later): only for reports of
        the last STALL_DAYS (older ones were all dealt with), never for the current month's quick fixes."""
        roll = self.rng.random()  # drawn always, so one change of age does not reshuffle every other life
        return not self.fresh and self.world.now - self.report.created_at < STALL_DAYS * DAY and roll < chance

    def accept_clock(self, start):
        policy = self.world.policy(self.report)
        self.report.accept_due_at = self.world.due_after(start, policy.accept_within, policy.unit)

    def answer_clock(self, start):
        policy = self.world.policy(self.report)
        self.report.answer_due_at = self.world.due_after(start, policy.answer_within, policy.unit)

    def live(self):
        report, world, rng = self.report, self.world, self.rng
        self.step(report.created_at, EventKind.SUBMITTED, to_status=ReportStatus.SUBMITTED, actor=report.reporter)
        routed = report.created_at + dt.timedelta(seconds=rng.uniform(5, 90))
        agency = world.rule_agency(report.category, report.unit_id)
        if not self.route(routed, agency):
            return
        if agency is None and not self.triage():
            return
        if not self.handle() or not self.answer():
            return
        self.after_answer()

    def route(self, at, agency):
        report = self.report
        report.agency = agency or self.world.hotline
        report.routed_at = at
        self.accept_clock(at)
        self.step(at, EventKind.RECEIVED, agency=report.agency)
        kind, status = (EventKind.ROUTED, ReportStatus.ASSIGNED) if agency else (EventKind.TRIAGE, ReportStatus.TRIAGE)
        return self.step(at, kind, to_status=status, agency=report.agency)

    def triage(self):
        """The 1022 centre places what no rule could: to the ward (or a department), or refuses it."""
        report, world, rng = self.report, self.world, self.rng
        if self.stalls(0.06):
            return False  # still waiting for the centre, past its clock
        at = self.wait(report.accept_due_at - self.at, 0.1, 1.2)
        if world.top(report.category).slug == "thu-tuc-hanh-chinh" and rng.random() < 0.2:
            if self.step(
                at,
                EventKind.REJECTED,
                to_status=ReportStatus.REJECTED,
                actor=world.operator,
                agency=report.agency,
                message=rng.choice(REJECT_REASONS),
            ):
                report.closed_at = at
            return False
        target = world.triage_target(report.category, report.unit_id)
        if target is None or not self.step(
            at, EventKind.ROUTED, to_status=ReportStatus.ASSIGNED, actor=world.operator, agency=target
        ):
            return False
        report.agency = target
        self.accept_clock(at)
        return True

    def handle(self):
        """The agency accepts, or returns the report to 1022 as not its competence, or refuses it."""
        report, world, rng = self.report, self.world, self.rng
        transferred = False
        while True:
            officer, leader = world.handlers(report.agency)
            if self.stalls(0.06):
                return False  # nobody has taken it yet: the accept clock runs out
            roll = 1.0 if self.fresh else rng.random()
            at = self.wait(report.accept_due_at - self.at, 0.05, 1.3)
            ward = report.agency.kind == AgencyKind.WARD_COMMITTEE
            if ward and not transferred and roll < 0.07:
                if not self.step(
                    at,
                    EventKind.RETURNED,
                    to_status=ReportStatus.RETURNED,
                    actor=officer,
                    agency=report.agency,
                    message=rng.choice(RETURN_REASONS),
                ):
                    return False
                self.accept_clock(at)  # the centre's clock to route it again
                if rng.random() < 0.15:
                    return False  # still at the centre
                at = self.wait(report.accept_due_at - self.at, 0.1, 1.1)
                target = world.agencies.get(RETURNED_TO.get(world.top(report.category).slug, "so-xay-dung"))
                if target is None or not self.step(
                    at, EventKind.TRANSFERRED, to_status=ReportStatus.ASSIGNED, actor=world.operator, agency=target
                ):
                    return False
                report.agency, transferred = target, True
                self.accept_clock(at)
                continue
            if roll < 0.1:
                if self.step(
                    at,
                    EventKind.REJECTED,
                    to_status=ReportStatus.REJECTED,
                    actor=officer,
                    agency=report.agency,
                    message=rng.choice(REJECT_REASONS),
                ):
                    report.closed_at = at
                return False
            if not self.step(
                at, EventKind.ACCEPTED, to_status=ReportStatus.IN_PROGRESS, actor=officer, agency=report.agency
            ):
                return False
            report.accepted_at = at
            self.answer_clock(at)
            if officer is not None and self.step(
                at + dt.timedelta(minutes=rng.uniform(5, 90)) if not self.fresh else at,
                EventKind.ASSIGNED_OFFICER,
                actor=leader,
                agency=report.agency,
                message=str(officer),
                public=False,
            ):
                report.assignee = officer
            return True

    def answer(self, *, reopened=False):
        """An officer writes the answer, the leader approves it, it is published."""
        report, rng = self.report, self.rng
        officer, leader = self.world.handlers(report.agency)
        if not reopened and self.stalls(0.1):
            return False  # no answer yet, and the answer clock runs out
        at = self.wait(report.answer_due_at - self.at, 0.15, 1.35)
        needs_approval = report.agency.answers_need_approval
        answer = Answer(
            report=report, agency=report.agency, author=officer, text=rng.choice(ANSWERS), status=AnswerStatus.PENDING
        )
        answer.created_at = at
        if needs_approval:
            if not self.step(
                at,
                EventKind.ANSWER_DRAFTED,
                actor=officer,
                agency=report.agency,
                message="Gửi lãnh đạo duyệt trả lời.",
                public=False,
            ):
                return False
            self.answers.append(answer)  # waiting for the leader, if the next step is still to come
            if self.stalls(0.14):
                return False  # the leader has not got to it yet
            at = (
                self.at + HOUR * rng.uniform(0.2, 1.5) * self.pace
                if self.fresh
                else self.at + HOUR * rng.uniform(2, 40)
            )
            if not self.step(at, EventKind.ANSWER_APPROVED, actor=leader, agency=report.agency, public=False):
                return False
        elif at >= self.world.now:
            return False
        else:
            self.answers.append(answer)
        answer.status, answer.published_at, answer.approved_by = AnswerStatus.PUBLISHED, at, leader
        self.step(
            at, EventKind.ANSWERED, to_status=ReportStatus.ANSWERED, actor=leader or officer, agency=report.agency
        )
        report.answered_at, report.closed_at = at, None
        return True

    def after_answer(self):
        """The reporter rates, sometimes reopens (within 7 days); answered reports close after a week."""
        report, world, rng = self.report, self.world, self.rng
        answer = self.answers[-1]
        score = None
        if rng.random() < (0.7 if self.fresh else 0.45):
            at = self.at + (HOUR * rng.uniform(0.3, 3) * self.pace if self.fresh else HOUR * rng.uniform(2, 72))
            late = report.answered_at > report.answer_due_at
            score = rng.choice(LATE_SCORES if late else SCORES)
            if self.step(
                at, EventKind.RATED, actor=report.reporter, agency=answer.agency, message=str(Satisfaction(score).label)
            ):
                rating = Rating(
                    report=report, answer=answer, agency=answer.agency, score=score, comment=rng.choice(RATING_COMMENTS)
                )
                rating.created_at = at
                self.ratings.append(rating)
            else:
                return
        if self.fresh:
            return
        reopen = rng.random() < (0.4 if score == Satisfaction.UNSATISFIED else 0.02)
        if reopen:
            at = report.answered_at + DAY * rng.uniform(1, 6)
            if max(at, self.at) >= world.now:
                return
            self.step(
                max(at, self.at),
                EventKind.REOPENED,
                to_status=ReportStatus.REOPENED,
                actor=report.reporter,
                agency=report.agency,
                message=rng.choice(REOPEN_REASONS),
            )
            self.answer_clock(self.at)
            if not self.answer(reopened=True):
                return
        if rng.random() < 0.7:
            officer, _leader = world.handlers(report.agency)
            at = max(self.at, report.answered_at + DAY * rng.uniform(7, 12))
            if self.step(at, EventKind.CLOSED, to_status=ReportStatus.CLOSED, actor=officer, agency=report.agency):
                report.closed_at = at
