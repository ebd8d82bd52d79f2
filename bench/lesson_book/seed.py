#!/usr/bin/env python3
"""A school year of lesson-book data for 30 classes, as SQL for SQLite or
PostgreSQL (bench/lesson_book.sh): on top of the demo school (TPRO and T STMG
keep their people), 28 more classes of 30 students with one guardian each,
ten subjects, a teacher per subject and class, a timetable of 26 hours a
week, a séance for every lesson of the year and two homework a week per
subject. Explicit ids from 1,000,000 so the rows can refer to each other.

  seed.py TODAY_DAY   (days since 1970-01-01: the year runs around it)
"""
import sys

today = int(sys.argv[1])
S = "(SELECT id FROM identity_structure WHERE uai = '0300027A')"
out = sys.stdout
lines = []


def q(text):
    return "'" + text.replace("'", "''") + "'"


def emit(table, columns, rows):
    # Multi-row inserts in batches: fast on both engines.
    for start in range(0, len(rows), 500):
        batch = rows[start:start + 500]
        out.write(f"INSERT INTO {table} ({', '.join(columns)}) VALUES\n")
        out.write(",\n".join("(" + ", ".join(str(v) for v in row) + ")" for row in batch))
        out.write(";\n")


NOW = today * 86400
SUBJECTS = [("100100", "PHILOSOPHIE"), ("030201", "ANGLAIS LV1"), ("030602", "ESPAGNOL LV2"),
            ("062000", "SCIENCES DE LA VIE ET DE LA TERRE"), ("063000", "PHYSIQUE-CHIMIE"),
            ("150100", "ÉDUCATION PHYSIQUE ET SPORTIVE")]
BASE_SUBJECTS = ["042400", "061300", "020100", "040600"]  # the demo's
LEVELS = ["2NDE", "1RE", "TLE"]
FIRST = ["Léa", "Hugo", "Chloé", "Nathan", "Manon", "Théo", "Camille", "Enzo", "Jade", "Louis", "Inès", "Gabriel",
         "Lola", "Raphaël", "Zoé", "Arthur", "Lina", "Jules", "Sarah", "Adam"]
LAST = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY", "MOREAU",
        "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX", "VINCENT", "FOURNIER"]
HOMEWORK = ["Lire le chapitre et répondre aux questions 1 à 5 page {p}.",
            "Exercices {p} et {q} page {r}.",
            "Apprendre la leçon et préparer l'évaluation de la semaine prochaine.",
            "Rédiger une synthèse d'une page sur la séance.",
            "Préparer l'exposé en groupe : plan détaillé et sources."]
SEANCES = ["Introduction du chapitre {c}", "Étude de documents : chapitre {c}", "Exercices d'application ({c})",
           "Correction de l'évaluation", "Travaux pratiques : chapitre {c}", "Synthèse et méthodologie"]

out.write("BEGIN;\n")
emit("identity_subject", ["id", "structure_id", "code", "label"],
     [(1_000_000 + i, S, q(code), q(label)) for i, (code, label) in enumerate(SUBJECTS)])
subject_ids = [f"(SELECT id FROM identity_subject WHERE structure_id = {S} AND code = {q(c)})" for c in BASE_SUBJECTS]
subject_ids += [str(1_000_000 + i) for i in range(len(SUBJECTS))]

# Classes: the demo's two, then 28 more.
classes = [f"(SELECT id FROM identity_class WHERE structure_id = {S} AND name = 'TPRO')",
           f"(SELECT id FROM identity_class WHERE structure_id = {S} AND name = 'T STMG')"]
new_classes = []
for i in range(28):
    cid = 1_000_000 + i
    new_classes.append((cid, S, q(f"{LEVELS[i % 3]} {i // 3 + 1}"), q("class")))
    classes.append(str(cid))
emit("identity_class", ["id", "structure_id", "name", "kind"], new_classes)

users, members, links, teachings = [], [], [], []
uid = 1_000_000
for i in range(28):
    for k in range(30):
        student, guardian = uid, uid + 1
        uid += 2
        first, last = FIRST[(i + k) % 20], LAST[(i * 7 + k) % 20]
        users.append((student, q(f"bench.eleve.{student}"), q(first), q(last), q("student"), S, NOW))
        users.append((guardian, q(f"bench.parent.{guardian}"), q("Parent"), q(last), q("guardian"), S, NOW))
        members.append((new_classes[i][0], student))
        links.append((guardian, student))
# Teachers: one per subject and per group of three classes.
teacher_of = {}
for group in range(10):
    for s in range(10):
        tid = uid
        uid += 1
        users.append((tid, q(f"bench.prof.{tid}"), q(FIRST[(group + s) % 20]), q(LAST[(group * 3 + s) % 20]),
                      q("teacher"), S, NOW))
        for c in range(group * 3, min(group * 3 + 3, 30)):
            teacher_of[(c, s)] = tid
emit("identity_user", ["id", "login", "first_name", "last_name", "profile", "structure_id", "created_at"], users)
emit("identity_class_member", ["class_id", "user_id"], members)
emit("identity_guardian_link", ["guardian_id", "student_id"], links)
for (c, s), tid in teacher_of.items():
    teachings.append((tid, classes[c], subject_ids[s]))
emit("identity_teaching", ["teacher_id", "class_id", "subject_id"], teachings)

# A timetable of 26 hours: subjects spread over the week's hours.
HOURS = [(480, 540), (540, 600), (615, 675), (675, 735), (810, 870), (870, 930)]  # six one-hour lessons a day
slots = []
slot_id = 1_000_000
weekly = {}  # class → [(weekday, start, end, subject)]
for c in range(30):
    plan = []
    n = 0
    for day in range(5):
        for h, (start, end) in enumerate(HOURS):
            if n >= 26:
                break
            s = (day * 6 + h + c) % 10
            plan.append((day, start, end, s))
            n += 1
    weekly[c] = plan
    if c < 2:
        continue  # TPRO and T STMG keep the demo's timetable
    for day, start, end, s in plan:
        slots.append((slot_id, S, classes[c], subject_ids[s], teacher_of[(c, s)], day, start, end, q(f"S{c:02d}"), NOW))
        slot_id += 1
emit("timetable_slot", ["id", "structure_id", "class_id", "subject_id", "teacher_id", "weekday", "start_minute",
                        "end_minute", "room", "created_at"], slots)

# The year: 36 school weeks around today.
monday = today - ((today + 3) % 7)
first_monday = monday - 7 * 12
seances, homework = [], []
sid, hid = 1_000_000, 1_000_000
for c in range(30):
    for week in range(36):
        base = first_monday + 7 * week
        given = {}
        for day, start, end, s in weekly[c]:
            d = base + day
            tid = teacher_of.get((c, s), "NULL")
            title = SEANCES[(week + s) % len(SEANCES)].format(c=week // 3 + 1)
            seances.append((sid, S, classes[c], subject_ids[s], tid, d, start, end, q(title),
                            q(f"<p>{title}. Activités en classe, prise de notes et exercices corrigés.</p>"), NOW, NOW, NOW))
            count = given.get(s, 0)
            if count < 2:
                given[s] = count + 1
                text = HOMEWORK[(week + s + count) % len(HOMEWORK)].format(p=12 + week, q=3 + s, r=40 + week)
                homework.append((hid, S, classes[c], subject_ids[s], tid, sid, d, d + 2 + (s % 3), q(f"<p>{text}</p>"),
                                 30, NOW, NOW, NOW))
                hid += 1
            sid += 1
emit("lesson_book_session", ["id", "structure_id", "class_id", "subject_id", "author_id", "day", "start_minute",
                             "end_minute", "title", "content", "publish_at", "created_at", "updated_at"], seances)
emit("lesson_book_homework", ["id", "structure_id", "class_id", "subject_id", "author_id", "session_id", "given_day",
                              "due_day", "description", "estimated_minutes", "publish_at", "created_at",
                              "updated_at"], homework)
out.write("COMMIT;\n")
print(f"-- {len(users)} people, {len(slots)} slots, {len(seances)} séances, {len(homework)} homework", file=sys.stderr)
