"""Flood information: regions, stations and their thresholds, observations, typhoons, warnings,
emergency responses, imports and daily briefings.

The data is the province's, not one account's: every account's pages and chat answers read the
same stations and tracks. Briefings belong to an account (they go to its newsroom).

Observations are the big tables (2,000 stations × 8,760 hours ≈ 17.5 million rain rows a year).
They are keyed by (station, time) — the SL 323 key — as a composite primary key, so there is no
surrogate id column and the upsert key is the primary key. Rows arrive roughly in time order, so on
PostgreSQL the time column gets a BRIN index (migration 0002): a few pages instead of a B-tree of
hundreds of megabytes, and window queries ("every station, last 24 h") touch only the block ranges
of that window. Per-station queries use the primary key. Monthly partitioning was considered and
left out: Django cannot declare it, the BRIN index already prunes by time, and a partitioned table
cannot be the target of the composite-key upsert without the partition key in every unique index
(it is there, but every migration touching the table would need hand-written SQL).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhengwei.lib import hydrostd
from zhengwei.orgs.models import WeChatAccount


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")


class Region(models.Model):
    """An administrative division by its 行政区划码 (6 digits; 9 or 12 below county level)."""

    adcd = models.CharField(_("division code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["adcd"]
        verbose_name = _("region")

    def __str__(self) -> str:
        return self.name


class StationType(models.TextChoices):
    RAIN = "PP", _("Rain gauge")
    RIVER_LEVEL = "ZZ", _("River level station")
    RIVER_FLOW = "ZQ", _("River hydrometric station")
    RESERVOIR = "RR", _("Reservoir station")
    SLUICE = "DD", _("Sluice station")
    TIDE = "TT", _("Tide station")


RIVER_TYPES = (StationType.RIVER_LEVEL, StationType.RIVER_FLOW, StationType.SLUICE)


class Station(models.Model):
    """A station of ST_STBPRP_B (测站基本属性表)."""

    stcd = models.CharField(_("station code"), max_length=12, primary_key=True)
    name = models.CharField(_("station name"), max_length=60)
    sttp = models.CharField(_("station type"), max_length=2, choices=StationType.choices)
    river = models.CharField(_("river"), max_length=60, blank=True)
    basin = models.CharField(_("basin"), max_length=60, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    location = models.CharField(_("site"), max_length=120, blank=True)
    datum_name = models.CharField(_("datum"), max_length=30, blank=True)
    datum_elevation = models.FloatField(_("datum elevation (m)"), null=True, blank=True)
    # Reservoirs: normal-pool capacity, 10⁶ m³ (SL 323 unit), for "storage as % of normal".
    normal_capacity = models.FloatField(_("normal capacity (10⁶ m³)"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    # Demo and sample stations are invented (real codes and coordinates are not public).
    synthetic = models.BooleanField(_("synthetic"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["stcd"]
        verbose_name = _("station")

    def __str__(self) -> str:
        return f"{self.name}（{self.stcd}）"


class ThresholdKind(models.TextChoices):
    WARNING = "WRZ", _("Warning level")
    GUARANTEE = "GRZ", _("Guaranteed level")
    FLOOD_LIMIT = "FSLTDZ", _("Flood-season limit level")


class Threshold(models.Model):
    """A level a station is judged against, valid for a period (thresholds change after
    re-surveys and datum changes) and, for flood-season limits, for an MMDD season."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="thresholds"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ThresholdKind.choices)
    value = models.FloatField(_("level (m)"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until (exclusive)"), null=True, blank=True)
    season_begin = models.CharField(_("season begins (MMDD)"), max_length=4, blank=True)
    season_end = models.CharField(_("season ends (MMDD)"), max_length=4, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["station", "kind", "valid_from"]
        verbose_name = _("threshold")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "kind", "valid_from", "season_begin"],
                name="hydro_threshold_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.kind} {self.value}"

    def limit(self) -> hydrostd.Limit:
        return hydrostd.Limit(
            self.kind,
            self.value,
            self.valid_from,
            self.valid_to,
            self.season_begin,
            self.season_end,
        )


class RainObservation(models.Model):
    """ST_PPTN_R: rain fallen at a station in the interval ending at ``tm``."""

    pk = models.CompositePrimaryKey("station_id", "tm")
    # No foreign-key constraint: the importers check every code against the stations first, and
    # the check would cost a lookup per row on 17.5 million rows a year. No index of its own
    # either: the key (station, tm) serves "this station's rows", and two more B-trees (Django
    # adds a LIKE one on PostgreSQL) doubled the server's cost of loading a file (bench/hydro.py).
    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )
    tm = models.DateTimeField(_("time"))
    drp = models.DecimalField(_("rain (mm)"), max_digits=5, decimal_places=1)
    intv = models.DecimalField(_("interval (h)"), max_digits=5, decimal_places=2, default=1)
    dyp = models.DecimalField(
        _("daily rain (mm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("rain observation")

    def __str__(self) -> str:
        return f"{self.station_id} {self.tm:%Y-%m-%d %H:%M} {self.drp} mm"


class Trend(models.TextChoices):
    FALLING = "4", _("Falling")
    RISING = "5", _("Rising")
    STEADY = "6", _("Steady")


class RiverObservation(models.Model):
    """ST_RIVER_R: a river level (m, station datum) and discharge at ``tm``."""

    pk = models.CompositePrimaryKey("station_id", "tm")
    # No foreign-key constraint: the importers check every code against the stations first, and
    # the check would cost a lookup per row on 17.5 million rows a year. No index of its own
    # either: the key (station, tm) serves "this station's rows", and two more B-trees (Django
    # adds a LIKE one on PostgreSQL) doubled the server's cost of loading a file (bench/hydro.py).
    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )
    tm = models.DateTimeField(_("time"))
    z = models.DecimalField(_("level (m)"), max_digits=7, decimal_places=3)
    q = models.DecimalField(
        _("discharge (m³/s)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    wptn = models.CharField(_("trend"), max_length=1, choices=Trend.choices, blank=True)

    class Meta:
        verbose_name = _("river observation")

    def __str__(self) -> str:
        return f"{self.station_id} {self.tm:%Y-%m-%d %H:%M} {self.z} m"


class ReservoirObservation(models.Model):
    """ST_RSVR_R: a reservoir's level, inflow, outflow and storage (10⁶ m³) at ``tm``."""

    pk = models.CompositePrimaryKey("station_id", "tm")
    # No foreign-key constraint: the importers check every code against the stations first, and
    # the check would cost a lookup per row on 17.5 million rows a year. No index of its own
    # either: the key (station, tm) serves "this station's rows", and two more B-trees (Django
    # adds a LIKE one on PostgreSQL) doubled the server's cost of loading a file (bench/hydro.py).
    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )
    tm = models.DateTimeField(_("time"))
    rz = models.DecimalField(_("level (m)"), max_digits=7, decimal_places=3)
    inq = models.DecimalField(
        _("inflow (m³/s)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    otq = models.DecimalField(
        _("outflow (m³/s)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    w = models.DecimalField(
        _("storage (10⁶ m³)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    rwptn = models.CharField(_("trend"), max_length=1, choices=Trend.choices, blank=True)

    class Meta:
        verbose_name = _("reservoir observation")

    def __str__(self) -> str:
        return f"{self.station_id} {self.tm:%Y-%m-%d %H:%M} {self.rz} m"


class TyphoonGrade(models.TextChoices):
    # GB/T 19201-2006's names, one msgid each (lib.hydrostd).
    WEAK = "WEAK", hydrostd.GRADE_NAMES["WEAK"]
    TD = "TD", hydrostd.GRADE_NAMES["TD"]
    TS = "TS", hydrostd.GRADE_NAMES["TS"]
    STS = "STS", hydrostd.GRADE_NAMES["STS"]
    TY = "TY", hydrostd.GRADE_NAMES["TY"]
    STY = "STY", hydrostd.GRADE_NAMES["STY"]
    SUPER_TY = "SuperTY", hydrostd.GRADE_NAMES["SuperTY"]
    ET = "ET", hydrostd.GRADE_NAMES["ET"]


class Typhoon(models.Model):
    """A tropical cyclone (热带气旋), named and numbered by China or only by IBTrACS."""

    # Year + China's number (201709 is Nesat); an IBTrACS storm China did not number keeps its SID.
    tfid = models.CharField(_("typhoon id"), max_length=13, primary_key=True)
    name_cn = models.CharField(_("Chinese name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=30, blank=True)
    season = models.PositiveSmallIntegerField(_("season"))
    is_active = models.BooleanField(pgettext_lazy("typhoon", "active"), default=False)
    sources = models.TextField(_("sources"), blank=True)

    class Meta:
        ordering = ["-tfid"]
        verbose_name = _("typhoon")

    def __str__(self) -> str:
        return f"{self.tfid[2:]} {self.name_cn}"


class TrackPoint(models.Model):
    """An observed position (best track or real-time bulletin)."""

    typhoon = models.ForeignKey(
        Typhoon, verbose_name=_("typhoon"), on_delete=models.CASCADE, related_name="points"
    )
    tm = models.DateTimeField(_("time"))
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    grade = models.CharField(
        pgettext_lazy("typhoon", "grade"), max_length=8, choices=TyphoonGrade.choices, blank=True
    )
    wind = models.FloatField(_("max wind (m/s)"), null=True, blank=True)
    pressure = models.FloatField(_("central pressure (hPa)"), null=True, blank=True)
    move_dir = models.CharField(_("moving towards"), max_length=10, blank=True)
    move_speed = models.FloatField(_("moving speed (km/h)"), null=True, blank=True)
    # Wind radii in km per quadrant "NE|SE|SW|NW" (7, 10 and 12 Beaufort), as bulletins give them.
    r7 = models.CharField(_("force-7 radius (km)"), max_length=40, blank=True)
    r10 = models.CharField(_("force-10 radius (km)"), max_length=40, blank=True)
    r12 = models.CharField(_("force-12 radius (km)"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=20)
    source_url = models.CharField(_("source URL"), max_length=300, blank=True)

    class Meta:
        ordering = ["typhoon", "tm"]
        verbose_name = _("track point")
        constraints = [
            models.UniqueConstraint(
                fields=["typhoon", "tm", "source"], name="hydro_trackpoint_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.typhoon_id} {self.tm:%Y-%m-%d %H:%M}"


class Forecast(models.Model):
    """One agency's forecast position for a typhoon, issued at ``issued_at`` for ``tm``."""

    typhoon = models.ForeignKey(
        Typhoon, verbose_name=_("typhoon"), on_delete=models.CASCADE, related_name="forecasts"
    )
    agency = models.CharField(_("agency"), max_length=20)
    issued_at = models.DateTimeField(_("issued at"))
    tm = models.DateTimeField(_("valid at"))
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    grade = models.CharField(
        pgettext_lazy("typhoon", "grade"), max_length=8, choices=TyphoonGrade.choices, blank=True
    )
    wind = models.FloatField(_("max wind (m/s)"), null=True, blank=True)
    pressure = models.FloatField(_("central pressure (hPa)"), null=True, blank=True)

    class Meta:
        ordering = ["typhoon", "agency", "issued_at", "tm"]
        verbose_name = _("forecast")
        constraints = [
            models.UniqueConstraint(
                fields=["typhoon", "agency", "issued_at", "tm"], name="hydro_forecast_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.typhoon_id} {self.agency} {self.tm:%Y-%m-%d %H:%M}"


class Landfall(models.Model):
    typhoon = models.ForeignKey(
        Typhoon, verbose_name=_("typhoon"), on_delete=models.CASCADE, related_name="landfalls"
    )
    tm = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=60)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    wind = models.FloatField(_("max wind (m/s)"), null=True, blank=True)
    pressure = models.FloatField(_("central pressure (hPa)"), null=True, blank=True)
    grade = models.CharField(
        pgettext_lazy("typhoon", "grade"), max_length=8, choices=TyphoonGrade.choices, blank=True
    )
    source_url = models.CharField(_("source URL"), max_length=300, blank=True)

    class Meta:
        ordering = ["typhoon", "tm"]
        verbose_name = _("landfall")
        constraints = [
            models.UniqueConstraint(fields=["typhoon", "tm"], name="hydro_landfall_once")
        ]

    def __str__(self) -> str:
        return f"{self.typhoon_id} {self.place}"


class Hazard(models.TextChoices):
    TYPHOON = "typhoon", _("Typhoon")
    RAINSTORM = "rainstorm", _("Rainstorm")
    FLOOD = "flood", _("Flood")


class WarningLevel(models.TextChoices):
    BLUE = "blue", _("Blue")
    YELLOW = "yellow", _("Yellow")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")
    IV = "IV", pgettext_lazy("response level", "Level IV")
    III = "III", pgettext_lazy("response level", "Level III")
    II = "II", pgettext_lazy("response level", "Level II")
    I = "I", pgettext_lazy("response level", "Level I")  # noqa: E741  (the level's own name)


SIGNAL_LEVELS = {"blue", "yellow", "orange", "red"}


class HazardWarning(models.Model):
    """A warning: a 预警信号 (blue…red) of a 气象台 or a provincial 预警 (Ⅳ…Ⅰ)."""

    issuer = models.CharField(_("issuer"), max_length=60)
    hazard = models.CharField(_("hazard"), max_length=12, choices=Hazard.choices)
    level = models.CharField(_("level"), max_length=6, choices=WarningLevel.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT
    )
    issued_at = models.DateTimeField(_("issued at"))
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    source_url = models.CharField(_("source URL"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("warning")

    def __str__(self) -> str:
        if self.level in SIGNAL_LEVELS:  # a 预警信号 (blue…red)
            text = _("%(issuer)s %(hazard)s %(level)s warning signal")
        else:  # a provincial 预警 (Ⅳ…Ⅰ)
            text = _("%(issuer)s %(hazard)s warning %(level)s")
        return text % {
            "issuer": self.issuer,
            "hazard": self.get_hazard_display(),
            "level": self.get_level_display(),
        }


class ResponseTrack(models.TextChoices):
    FLOOD = "flood", _("Flood control")
    TYPHOON = "typhoon", _("Typhoon defence")
    RAINSTORM = "rainstorm", _("Rainstorm defence")


class ResponseLevel(models.TextChoices):
    # 应急响应 levels Ⅳ (lowest) to Ⅰ; the same names as the provincial warnings' levels.
    IV = "IV", pgettext_lazy("response level", "Level IV")
    III = "III", pgettext_lazy("response level", "Level III")
    II = "II", pgettext_lazy("response level", "Level II")
    I = "I", pgettext_lazy("response level", "Level I")  # noqa: E741


RESPONSE_RANK = {"IV": 1, "III": 2, "II": 3, "I": 4}


class EmergencyResponse(models.Model):
    """An emergency response (应急响应) declared by a headquarters for an area."""

    issuer = models.CharField(_("declared by"), max_length=60)
    track = models.CharField(_("track"), max_length=12, choices=ResponseTrack.choices)
    level = models.CharField(_("level"), max_length=4, choices=ResponseLevel.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    basis = models.TextField(_("basis"), blank=True)
    source_url = models.CharField(_("source URL"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("emergency response")

    def __str__(self) -> str:
        return _("%(issuer)s %(track)s emergency response %(level)s") % {
            "issuer": self.issuer,
            "track": self.get_track_display(),
            "level": self.get_level_display(),
        }


class ImportKind(models.TextChoices):
    STATIONS = "ST_STBPRP_B", _("Stations (ST_STBPRP_B)")
    RAIN = "ST_PPTN_R", _("Rain (ST_PPTN_R)")
    RIVER = "ST_RIVER_R", _("River levels (ST_RIVER_R)")
    RESERVOIR = "ST_RSVR_R", _("Reservoirs (ST_RSVR_R)")
    RIVER_LIMITS = "ST_RVFCCH_B", _("River flood-control levels (ST_RVFCCH_B)")
    RESERVOIR_LIMITS = "ST_RSVRFSR_B", _("Reservoir flood-season limits (ST_RSVRFSR_B)")
    CMA_BST = "cma_bst", _("CMA best track")
    IBTRACS = "ibtracs", _("IBTrACS CSV")
    ZJWATER = "zjwater", _("Typhoon JSON (温州台风网 style)")


class ImportStatus(models.TextChoices):
    DONE = "done", _("Imported")
    PARTIAL = "partial", _("Imported, some rows rejected")
    FAILED = "failed", _("Failed, nothing imported")


class ImportRun(models.Model):
    """One import of one file (or one pull from a database). The file's SHA-256 makes the
    incremental mode skip files it has already taken in."""

    kind = models.CharField(_("kind"), max_length=12, choices=ImportKind.choices)
    source = models.CharField(_("file or source"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=ImportStatus.choices)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_stored = models.PositiveIntegerField(_("rows stored"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    rejects_file = models.CharField(_("rejects file"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    started_at = models.DateTimeField(_("started at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import")

    def __str__(self) -> str:
        return f"{self.source} ({self.status})"


class Snapshot(models.Model):
    """The current picture (latest value per station, top rain, stations over thresholds, the
    active typhoon), rebuilt after every import and by ``hydro_tick``. Chat answers must be given
    within WeChat's 5 s in one indexed read, so they read this row instead of aggregating."""

    key = models.CharField(max_length=20, primary_key=True, default="current")
    data_time = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField()
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.key} {self.data_time}"


class BriefingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OFFERED = "offered", _("Sent to the newsroom for review")


class Briefing(models.Model):
    """每日汛情简报 for a window: its numbers (each with the query behind it), text and charts."""

    account = models.ForeignKey(
        WeChatAccount, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    window_start = models.DateTimeField(_("window start"))
    window_end = models.DateTimeField(_("window end"))
    status = models.CharField(
        _("status"), max_length=8, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT
    )
    numbers = models.JSONField(_("numbers"), default=dict)
    body_html = models.TextField(_("text"))
    digest = models.CharField(_("digest"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    offered_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    article_id = models.BigIntegerField(_("newsroom article"), null=True, blank=True)

    class Meta:
        ordering = ["-window_end", "-created_at"]
        verbose_name = _("daily briefing")

    def __str__(self) -> str:
        return self.title


class BriefingChart(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="charts")
    kind = models.CharField(_("kind"), max_length=20)
    title = models.CharField(_("title"), max_length=120)
    png = models.BinaryField(_("image"))

    class Meta:
        ordering = ["briefing", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["briefing", "kind"], name="hydro_chart_once")
        ]

    def __str__(self) -> str:
        return f"{self.briefing_id} {self.kind}"
