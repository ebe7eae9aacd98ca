"""Act as a citizen from the command line, e.g.

manage.py sim_citizen --new text "闽侯县甘蔗街道积水半米"
manage.py sim_citizen --openid oFjFx0LinNvShi0000MinHou0001 location 26.1503 119.1311 甘蔗街道
manage.py sim_citizen --openid … report     # 我报灾情: location, photo, description, phone, 确认
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengwei.simulator.citizen import Citizen, CitizenError, sample_photo
from zhengwei.simulator.seed import DEMO_CITIZENS


class Command(BaseCommand):
    help = (
        "Send messages and events to the account's callback as a citizen would, signed and "
        "encrypted like WeChat, and print the answers."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group()
        who.add_argument("--openid", help="an existing follower (default: the first demo citizen)")
        who.add_argument("--new", action="store_true", help="a new citizen who follows first")
        parser.add_argument("--account", help="original id (default: the demo account)")
        parser.add_argument("--timeout", type=float, help="seconds before WeChat retries (5)")
        parser.add_argument(
            "action",
            choices=[
                "follow",
                "unfollow",
                "text",
                "location",
                "select-location",
                "photo",
                "voice",
                "click",
                "view",
                "report",
            ],
        )
        parser.add_argument("values", nargs="*", metavar="ARG")

    def handle(self, *args, **o):
        try:
            if o["new"]:
                citizen = Citizen(None, o["account"], timeout=o["timeout"])
                if o["action"] != "follow":
                    self._show(citizen.follow())
            else:
                openid = o["openid"] or DEMO_CITIZENS[0][0]
                citizen = Citizen(openid, o["account"], timeout=o["timeout"])
            self.stdout.write(f"citizen {citizen.openid} → {citizen.account.callback_url}")
            for result in self._act(citizen, o["action"], o["values"]):
                self._show(result)
        except CitizenError as exc:
            raise CommandError(str(exc)) from exc

    def _act(self, c: Citizen, action: str, a: list[str]):
        def need(n: int, usage: str):
            if len(a) < n:
                raise CommandError(f"usage: {action} {usage}")

        if action == "follow":
            return [c.follow()]
        if action == "unfollow":
            return [c.unfollow()]
        if action == "text":
            need(1, "TEXT")
            return [c.send_text(" ".join(a))]
        if action in {"location", "select-location"}:
            need(2, "LAT LNG [LABEL]")
            label = " ".join(a[2:])
            if action == "location":
                return [c.send_location(float(a[0]), float(a[1]), label)]
            return c.select_location(float(a[0]), float(a[1]), label)
        if action == "photo":
            images = [Path(p).read_bytes() for p in a] or [sample_photo()]
            return c.send_photos(images)
        if action == "voice":
            need(1, "RECOGNISED TEXT")
            return [c.send_voice(" ".join(a))]
        if action == "click":
            need(1, "KEY")
            return [c.click(a[0])]
        if action == "view":
            need(1, "URL")
            return [c.view(a[0])]
        # report: what a citizen does through the 「我报灾情」 menu.
        results = c.select_location(26.1503, 119.1311, "福建省福州市闽侯县甘蔗街道")
        results += c.send_photos([sample_photo(seed=1), sample_photo(seed=3)])
        results.append(c.send_text("甘蔗街道昙石山路段积水约半米，有车辆被困，请求救援"))
        results.append(c.send_text("联系电话 13800000000"))
        # The account asks the citizen to confirm before the draft becomes a report.
        results.append(c.send_text("确认"))
        return results

    def _show(self, d):
        kind = d.fields.get("Event") or d.fields.get("MsgType")
        line = f"  {kind}: HTTP {d.status} after {d.attempts} delivery(ies), {d.elapsed:.2f}s"
        if d.reply_message:
            line += f" — reply {d.reply_message.get('MsgType')}: "
            line += str(d.reply_message.get("Content") or d.reply_message.get("Articles") or "")
        elif d.reply is not None:
            line += f" — {d.reply.kind}"
        if d.error:
            line += f" — {d.error}"
        self.stdout.write(line)
