"""The fixed words a handout prints (headings, page labels), and dates, in each language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Labels:
    """Every fixed string of the handout template in one language."""

    references: str
    review_dates: str
    book_online: str
    call: str
    logo: str  # alt text: "{clinic} logo"
    qr_code: str  # alt text: "QR code: {url}"
    your_name: str  # form field label
    date: str  # form field label
    icon_warning: str  # alt text of the warning-signs icon
    icon_emergency: str  # alt text of the emergency-phone icon on "call now" boxes
    icon_checklist: str  # alt text of the checklist icon
    icon_calendar: str  # alt text of the calendar icon
    next_appointment: str
    appointment_time: str
    notes: str
    last_reviewed: str  # compact layouts: "Last reviewed: <date> · Next review: <month>"
    next_review: str
    opening_hours: str
    directions: str
    draft: str  # footer of a handout whose text is not all approved (checks/signoff.py)


LABELS: dict[str, Labels] = {
    "en": Labels(
        references="References",
        review_dates="When each section was last reviewed",
        book_online="Book online",
        call="Call",
        logo="{clinic} logo",
        qr_code="QR code: {url}",
        your_name="Your name",
        date="Date",
        icon_warning="Warning sign",
        icon_emergency="Emergency phone: call now",
        icon_checklist="Checklist",
        icon_calendar="Calendar",
        next_appointment="Your next appointment",
        appointment_time="Date and time",
        notes="Notes",
        last_reviewed="Last reviewed",
        next_review="Next review",
        opening_hours="Opening hours",
        directions="How to get here",
        draft="Draft \u2013 not approved for patients",
    ),
    "es": Labels(
        references="Referencias",
        review_dates="Cuándo se revisó por última vez cada sección",
        book_online="Pida una cita en línea",
        call="Llame al",
        logo="Logotipo de {clinic}",
        qr_code="Código QR: {url}",
        your_name="Su nombre",
        date="Fecha",
        icon_warning="Señal de advertencia",
        icon_emergency="Teléfono de emergencia: llame ahora",
        icon_checklist="Lista de control",
        icon_calendar="Calendario",
        next_appointment="Su próxima cita",
        appointment_time="Fecha y hora",
        notes="Notas",
        last_reviewed="Última revisión",
        next_review="Próxima revisión",
        opening_hours="Horario",
        directions="Cómo llegar",
        draft="Borrador \u2013 no aprobado para pacientes",
    ),
    "zh-Hans": Labels(
        references="参考资料",
        review_dates="各部分最近一次审阅的日期",
        book_online="网上预约",
        call="电话",
        logo="{clinic} 标志",
        qr_code="二维码：{url}",
        your_name="您的姓名",
        date="日期",
        icon_warning="警告标志",
        icon_emergency="紧急电话：马上拨打",
        icon_checklist="检查表",
        icon_calendar="日历",
        next_appointment="您的下次预约",
        appointment_time="日期和时间",
        notes="备注",
        last_reviewed="最近审阅",
        next_review="下次审阅",
        opening_hours="营业时间",
        directions="怎样到达",
        draft="草稿 \u2013 未获批准，不可发给患者",
    ),
}

# "Page 3 of 9" in each language: (before the page number, between, after the total).
PAGE_NUMBER = {
    "en": ("Page ", " of ", ""),
    "es": ("Página ", " de ", ""),
    "zh-Hans": ("第 ", " 页，共 ", " 页"),
}

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
}


def labels_for(lang: str) -> Labels:
    """The labels of `lang` (English if acuprint has no translation)."""
    return LABELS.get(lang, LABELS["en"])


def format_short_date(day: date, lang: str, country: str) -> str:
    """`day` short, as `lang` in `country` writes it: "Nov 21, 2026" (US), "21 Nov 2026"."""
    if lang == "zh-Hans":
        return f"{day.year}年{day.month}月{day.day}日"
    month = _MONTHS["es" if lang == "es" else "en"][day.month - 1][:3]
    if lang == "es":
        return f"{day.day} {month} {day.year}"
    return f"{month} {day.day}, {day.year}" if country == "US" else f"{day.day} {month} {day.year}"


def format_month(day: date, lang: str) -> str:
    """The month and year of `day`, short: "Nov 2027", "nov 2027", "2027年11月"."""
    if lang == "zh-Hans":
        return f"{day.year}年{day.month}月"
    return f"{_MONTHS['es' if lang == 'es' else 'en'][day.month - 1][:3]} {day.year}"


def one_year_on(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    return day.replace(year=day.year + 1, day=min(day.day, 28) if day.month == 2 else day.day)


def format_date(day: date, lang: str, country: str) -> str:
    """A date as readers of `lang` in `country` write it (never the locale's)."""
    if lang == "zh-Hans":
        return f"{day.year}年{day.month}月{day.day}日"
    if lang == "es":
        return f"{day.day} de {_MONTHS['es'][day.month - 1]} de {day.year}"
    month = _MONTHS["en"][day.month - 1]
    return f"{month} {day.day}, {day.year}" if country == "US" else f"{day.day} {month} {day.year}"
