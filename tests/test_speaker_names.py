"""Who said it: the speaker's name on the default path (`quotecraft.extract`) when the cue's
subject is a pronoun (issue 25).

A pronoun never takes a date, a place, a document or an abstract noun as its antecedent; "she"
never takes a man or a plural; "they" may take a group or an organisation, "it" an organisation,
never a person; in ``X said Y, according to Z`` the speaker of Y is X.  Each passage is written
for this test.  The shape of each case is its id's prefix, so a run reports pass counts per shape.
"""
from __future__ import annotations

import pytest

import quotecraft

pytestmark = pytest.mark.model

_PRONOUNS = {"he", "she", "they", "it", "him", "her", "them", "we", "i"}

_TRANSCRIPT = ("Fox News host Chris Wallace pressed Governor Mike Pence on the debate on Sunday. A partial "
               "transcript follows.\n\n\"WALLACE: Let me start with the debate. Will the candidates shake hands?"
               "\n\n\"PENCE: Well, look, Hillary Clinton apparently thinks this is a reality show. We are ready."
               "\n\n\"(CROSSTALK.)\n\n\"WALLACE: But, Governor, as the Wall Street Journal wrote last week, the "
               "tax returns are still missing.\n\n\"PENCE: The returns will come out when the audit is done.\n\n"
               "\"But the truth is that the governor talks to voters in his own way.\n\n\"He will be at the debate.\n\n"
               "\"Follow Dana Whitfield on Twitter @dwhitfield.\"\n\nThe debate is on Monday.")

# a local story: a relative clause's antecedent, an age in apposition, a title the parse split
# from the name it leads
_WATER = (
    'Water rates to rise 9% in April\n'
    '\n'
    "Customers of the Brookfield Water District will pay about 9% more from April, the district's "
    'board decided Wednesday, despite objections from residents who called the increase "a tax by '
    'another name."\n'
    '\n'
    'Board chair Ellen Marsh defended the vote. The district must replace 40 miles of pipe laid '
    'before 1950, she said, and "there is no cheaper way to do it."\n'
    '\n'
    "According to the district's own figures, the average household bill will rise from $58 to $63 a "
    'month. Critics say that understates the burden on retirees.\n'
    '\n'
    '"I\'m on a fixed income. Every dollar counts," said Walter Pruitt, 81, who spoke during the '
    'public comment period. He said he had already cut back on watering his garden.\n'
    '\n'
    'Board member Sam Ochoa, the lone vote against, said the district should have applied for a state'
    ' loan first. "We left money on the table," Ochoa said in an interview Thursday.\n'
    '\n'
    'Marsh said the board would revisit the rates next year if the loan came through.'
)

#: (shape, passage, a snippet of the content, words the speaker's name must hold (any of them))
CASES = [
    # a pronoun after a weekday, a month or a date: the time word is never the antecedent
    ("time", "Elena Varga, the coach, met the players on Sunday. \"We will be back next season,\" she said.",
     "back next season", ("Varga",)),
    ("time", "Judge Hana Okafor, the court's chief justice, met lawyers on Friday. "
     "\"The hearing moves to June,\" she said.", "hearing moves", ("Okafor",)),
    ("time", "Chief economist Paul Ibsen, who leads the bank's research team, met reporters on Wednesday. "
     "\"Rates will stay flat,\" he said.", "stay flat", ("Ibsen",)),
    ("time", "Farmer Tomas Roald sold his last herd in March. \"I have nothing left to sell,\" he said.",
     "nothing left", ("Roald",)),
    ("time", "Mayor Ines Duarte opened the new library on Tuesday morning. "
     "\"Every child deserves a place to read,\" she told the crowd.", "place to read", ("Duarte",)),
    ("time", "Pilot Amir Haddad landed the damaged plane on May 4. \"The engine just stopped,\" he said later.",
     "engine just stopped", ("Haddad",)),
    # a pronoun after a place
    ("place", "Senator Ruth Keller toured Nairobi and Kampala last month. "
     "\"The roads have improved a lot,\" she said.", "roads have improved", ("Keller",)),
    ("place", "The striker Marco Bellini returned to Madrid after the final. "
     "\"I want to finish my career here,\" he said.", "finish my career", ("Bellini",)),
    ("place", "Ambassador Sofia Lind flew to Berlin for the talks. \"Germany is our closest partner,\" she said.",
     "closest partner", ("Lind",)),
    # a pronoun after a document or an abstract noun
    ("document", "Auditor Nadia Brandt published the Annual Review of the water company. "
     "\"The company wasted millions,\" she said.", "wasted millions", ("Brandt",)),
    ("document", "Professor Ivan Petrov signed the Climate Pledge with forty colleagues. "
     "\"We cannot wait any longer,\" he said.", "cannot wait", ("Petrov",)),
    ("document", "Coach Dana Frost studied the Safety Report after the crash. "
     "\"Nobody could have prevented it,\" she said.", "Nobody could have", ("Frost",)),
    # a title and a name with an apposition or a relative clause
    ("apposition", "Police Chief Omar Sayed, a veteran of thirty years, spoke outside the station. "
     "\"We have arrested two suspects,\" he said.", "arrested two suspects", ("Sayed",)),
    ("apposition", "Dr. Lena Kraus, who runs the children's ward at Riverside Hospital, visited the school. "
     "\"The outbreak is under control,\" she said.", "under control", ("Kraus",)),
    ("apposition", "Finance Minister Jonas Weber, the youngest member of the Cabinet, presented the Budget. "
     "\"Taxes will not rise,\" he said.", "Taxes will not rise", ("Weber",)),
    # coordinated names, and gender evidence from the text
    ("gender", "Raj Mehta and his wife Priya Shah founded the firm in 2010. \"Nobody believed in us,\" he said.",
     "Nobody believed", ("Mehta",)),
    ("gender", "Anna Bosch and her husband Karim Nasser run the bakery on Elm Street. "
     "\"We start baking at four,\" she said.", "start baking", ("Bosch",)),
    ("gender", "Mr. Daniel Ortiz met Ms. Clara Holm at the conference. \"The deal is almost done,\" she said.",
     "almost done", ("Holm",)),
    ("gender", "Mrs. Olga Petrenko greeted Mr. Ben Carter at the gate. \"Welcome to the farm,\" he said.",
     "Welcome to the farm", ("Carter",)),
    ("gender", "Leo Fischer waited outside while Maria Santos, a mother of three, spoke to the judge. "
     "\"My children need their father,\" she said.", "children need", ("Santos",)),
    # they: a group or an organisation, not the last person named
    ("they", "Teachers rallied outside the ministry. Education Minister Karl Berg refused to meet them. "
     "\"We will strike again,\" they said.", "strike again", ("teachers", "Teachers")),
    ("they", "Nurses marched to the town hall. Mayor Pia Lund stayed inside. \"We are exhausted,\" they said.",
     "exhausted", ("nurses", "Nurses")),
    ("they", "The residents of Hill Road met with Councillor Tom Reyes. \"The noise never stops,\" they said.",
     "noise never stops", ("residents",)),
    # it: an organisation, never a person
    ("it", "The school board voted on Thursday. \"The new schedule starts in fall,\" it said in a statement.",
     "new schedule", ("school board",)),
    ("it", "Director Alan Moss left the Northwind Bank in April. \"We wish him well,\" it said.",
     "wish him well", ("Northwind",)),
    ("it", "The city council approved the plan after Mayor Eva Stone spoke. "
     "\"Construction begins next year,\" it said.", "Construction begins", ("council",)),
    # nested attributions: in "X said Y, according to Z" the speaker of Y is X
    ("nested", "Governor Lisa Crane said the road \"will reopen in March,\" according to two engineers. "
     "\"We are confident,\" she told reporters.", "We are confident", ("Crane",)),
    ("nested", "Coach Ali Demir told the players that \"nobody is safe,\" according to two of them. "
     "\"I expect more,\" he said.", "I expect more", ("Demir",)),
    ("nested", "Minister Greta Nyberg said the plant \"will close by June,\" according to the union. "
     "\"It is a hard decision,\" she added.", "hard decision", ("Nyberg",)),
    # written after the first round of rules, as a check that they carry over (5 of these 10 held then)
    ("apposition", "Coach Mira Tan, the team's longest-serving manager, flew home on Saturday. "
     "\"It was a tough trip,\" she said.", "tough trip", ("Tan",)),
    ("gender", "Mr. Peter Lund and Ms. Ana Cruz signed the lease in October. \"We love this street,\" she said.",
     "love this street", ("Cruz",)),
    ("they", "Doctors walked out of Central Hospital on Monday. Health Minister Ivo Marsh called the strike "
     "illegal. \"We are not paid enough,\" they said.", "not paid enough", ("doctors", "Doctors")),
    ("it", "The airline cancelled forty flights after the storm. \"Safety comes first,\" it said.",
     "Safety comes first", ("airline",)),
    ("place", "Senator Joan Reed met voters in Ohio on Thursday. \"The economy is my priority,\" she said.",
     "economy is my priority", ("Reed",)),
    ("gender", "Kofi Mensah and his daughter Ama Mensah opened a shop in Accra. \"Business is slow,\" he said.",
     "Business is slow", ("Kofi",)),
    ("nested", "Union leader Sam Ortega said the talks \"have collapsed,\" according to three delegates. "
     "\"We will not give up,\" he said.", "will not give up", ("Ortega",)),
    ("document", "Professor Alice Wong presented the Energy Plan at the summit in Geneva. \"Coal must go,\" she said.",
     "Coal must go", ("Wong",)),
    ("they", "Students protested outside Parliament on Tuesday. Prime Minister Leo Hart stayed away. "
     "\"Fees are too high,\" they said.", "Fees are too high", ("students", "Students")),
    ("it", "The central bank raised rates in January. \"Inflation is too high,\" it said.",
     "Inflation is too high", ("bank",)),
    # a second check, written after the window-and-salience ranking (6 of these 8 held then: a group
    # noun missing from data/group_nouns.txt, a tagged source two sentences up)
    ("place", "Chancellor Greta Holm visited flood victims in Dresden on Wednesday. "
     "\"The state will pay for the repairs,\" she said.", "pay for the repairs", ("Holm",)),
    ("document", "The ministry published its Annual Report on Friday. Deputy Minister Yusuf Kaya presented the "
     "figures. \"Exports grew by a third,\" he said.", "Exports grew", ("Kaya",)),
    ("they", "Firefighters battled the blaze for six hours. \"The wind made it impossible,\" they said.",
     "wind made it", ("firefighters", "Firefighters")),
    ("it", "The hospital confirmed two new cases late on Sunday. \"Both patients are stable,\" it said.",
     "Both patients", ("hospital",)),
    ("apposition", "Ms. Rosa Lindqvist, a lawyer for the family, met the prosecutor in Stockholm. "
     "\"We want the truth,\" she told reporters.", "want the truth", ("Lindqvist",)),
    ("gender", "Tom Hale and his sister Jane Hale inherited the farm in 2015. \"It was our father's dream,\" she said.",
     "father's dream", ("Jane",)),
    ("nested", "Captain Ivan Sokolov said the ship \"was never in danger,\" according to a crew member. "
     "\"We followed every rule,\" he said.", "followed every rule", ("Sokolov",)),
    ("they", "Residents of the valley signed a petition against the mine. Governor Paula Ricci ignored it. "
     "\"Nobody listens to us,\" they said.", "Nobody listens", ("residents", "Residents")),
    # a third check, written with the entity-type head and the persons of a pair (issue 25, second
    # step): names no list knows (towns, firms, clubs), an occupation before a name, a pair then "she"
    ("type", "Reporter Maya Collins spent a week in Tromsø and Kiruna. \"The darkness changes people,\" she said.",
     "darkness changes", ("Maya Collins",)),
    ("type", "Engineer Paulo Mendes joined Brightwave Robotics after the merger. "
     "\"The team is small but fast,\" he said.", "small but fast", ("Mendes",)),
    ("type", "Lawyer Sara Kim represents Northgate Shipping in the case. \"My client did nothing wrong,\" she said.",
     "did nothing wrong", ("Sara Kim",)),
    ("type", "Goalkeeper Tariq Bello signed with Vantor United on Monday. \"It is a dream move,\" he said.",
     "dream move", ("Tariq Bello",)),
    ("type", "Chef Nina Okoro opened Saltbox Kitchen in Lagos last year. \"Fish is the heart of it,\" she said.",
     "heart of it", ("Okoro",)),
    ("type", "Volunteer Jamal Reid drove to Kettering and Corby with supplies. \"People need blankets,\" he said.",
     "need blankets", ("Reid",)),
    ("pair", "Police questioned Mark Doyle and Helen Price of Eastfield Farms. \"We saw nothing,\" she said.",
     "saw nothing", ("Helen Price",)),
    ("pair", "The award went to Omar Farouk and Julia Stein of the Riverside Theatre. "
     "\"We share it with the cast,\" she said.", "share it with", ("Julia Stein",)),
    ("pair", "Ali Hassan and Pedro Gomez of the dock workers' union met the owners. "
     "\"The offer is too low,\" they said.", "offer is too low", ("Hassan and Pedro Gomez",)),
    ("gender", "Dr. Irene Falk and her colleague Victor Lum wrote the study. \"The results surprised us,\" she said.",
     "results surprised", ("Irene Falk",)),
    # a name in apposition: the subject's own ("Lund's daughter, Ingrid Berg,"), and one whose
    # apposition holds another's possessive ("Ingrid, his daughter,": a woman, not his)
    ("apposition", "Arvid Lund runs the ferry.\n\nIts director, Kari Solheim, said the boat was old.\n\n"
     "Lund's daughter, Ingrid Berg, sees it differently.\n\n\"They decided before they asked us,\" she said.",
     "decided before", ("Ingrid Berg",)),
    ("apposition", "Arvid Lund runs the ferry.\n\nIts director, Kari Solheim, said the boat was old.\n\n"
     "Ingrid, his daughter, told the council in May that the boat was safe. \"They decided before they asked "
     "us,\" she said.", "boat was safe", ("Ingrid",)),
    ("apposition", "Arvid Lund runs the ferry.\n\nIts director, Kari Solheim, said the boat was old.\n\n"
     "Ingrid Berg, his daughter, told the council in May that the boat was safe. \"They decided before they "
     "asked us,\" she said.", "decided before", ("Ingrid Berg",)),
    # the same in a sentence with no cue, which the default leaves unparsed: the words decide
    ("apposition", "Arvid Lund runs the ferry.\n\nIts director, Kari Solheim, said the boat was old.\n\n"
     "Ingrid, his daughter, sees it differently.\n\n\"They decided before they asked us,\" she said.",
     "decided before", ("Ingrid",)),
    ("apposition", "Arvid Lund runs the ferry.\n\nIts director, Kari Solheim, said the boat was old.\n\n"
     "His daughter Ingrid sees it differently.\n\n\"They decided before they asked us,\" she said.",
     "decided before", ("Ingrid",)),
]


@pytest.fixture(scope="module")
def extracted():
    return {}


def _speaker(extracted, text, snippet):
    art = extracted.get(text) or extracted.setdefault(text, quotecraft.extract(text))
    hits = [q for q in art.quotes if any(snippet in c.text for c in q.content)]
    assert hits, f"no quote holds {snippet!r}: {[q.text for q in art.quotes]}"
    assert hits[0].speaker is not None, f"no speaker for {snippet!r}"
    return hits[0].speaker


@pytest.mark.parametrize("shape,text,snippet,names", CASES, ids=[f"{c[0]}-{c[2][:20]}" for c in CASES])
def test_speaker_name(extracted, shape, text, snippet, names):
    sp = _speaker(extracted, text, snippet)
    assert sp.name.lower() not in _PRONOUNS, f"a bare pronoun for a name: {sp.name!r}"
    assert any(n in sp.name for n in names), f"{shape}: speaker {sp.name!r}, want one of {names}"


def test_a_pronoun_the_article_never_resolves_names_nobody(extracted):
    """No woman is named before "she": the name is empty, never "she", and the mention keeps it."""
    sp = _speaker(extracted, "The band toured Yakutsk and Omsk last winter. \"It was cold,\" she said.", "was cold")
    assert sp.name == "" and sp.mention is not None and sp.mention.text == "she"


#: (shape, passage, a snippet of the content, the speaker's whole name): written for the fifth
#: sitting of issue 24, where "Aid groups warned ..." was named "Aid" and a later "she" took it
EXACT_CASES = [
    ("relative", _WATER, "a tax by another name", "residents"),
    ("relative", _WATER, "cut back on watering", "Walter Pruitt"),
    ("title split", _WATER, "applied for a state loan", "Sam Ochoa"),
    # a person's affiliation stays out of the name, and the pronoun after it finds the person
    ("affiliation", "Floods cut the north. \"The situation is getting worse by the hour,\" said Maria Costa of "
     "the Red Cross. She added that roads to the north were cut off.", "getting worse", "Maria Costa"),
    ("affiliation", "Floods cut the north. \"The situation is getting worse by the hour,\" said Maria Costa of "
     "the Red Cross. She added that roads to the north were cut off.", "roads to the north", "Maria Costa"),
    ("affiliation", "Tomas Berg of Harbor Logistics told reporters that the port would reopen on Monday.",
     "port would reopen", "Tomas Berg"),
    # one word before "of" is an organisation's name, not a person with an affiliation
    ("affiliation", "The Bank of Portugal said inflation would ease next year.", "inflation would ease",
     "Bank of Portugal"),
    # a sentence's first word has its capital from the sentence: no name "Aid", "Health", "Several"
    ("sentence-initial", "At least 40 people died in the floods. Aid groups warned that the toll could rise.",
     "toll could rise", "Aid groups"),
    ("sentence-initial", "The clinic closed on Friday. Health officials said the water was safe to drink.",
     "water was safe", "Health officials"),
    ("sentence-initial", "The vote was close. Several lawmakers said they would ask for a recount.",
     "ask for a recount", "Several lawmakers"),
    # but a title before the name is no part of it
    ("sentence-initial", "Democratic candidate Maya Torres said the plan would cut rents.", "cut rents",
     "Maya Torres"),
    # nor a role opening the sentence ("Parent", "Voter": data/titles.txt), for the name or a later "He"
    ("sentence-initial", "Not everyone agreed. Parent Michael Tran, whose two sons play football, worried that "
     "practices would run past dark. He asked the board to reconsider.", "to reconsider", "Michael Tran"),
    ("sentence-initial", "Lines were long. Voter Janet Ruiz said she waited two hours.", "waited two hours",
     "Janet Ruiz"),
    ("title", "Councilmember Aaron Pike, who proposed the plan, said the lanes would make the street safer.",
     "street safer", "Aaron Pike"),
    # a title's object ("of State") is the title's, not the name's
    ("title", "Secretary of State Ann Kerr said the talks would resume. \"We are close,\" she said.",
     "talks would resume", "Ann Kerr"),
    ("title", "Secretary of State Ann Kerr said the talks would resume. \"We are close,\" she said.",
     "We are close", "Ann Kerr"),
    ("title", "Minister for Foreign Affairs Lena Dahl told reporters that the border would stay open.",
     "border would stay", "Lena Dahl"),
    # a number is part of the name before a role noun, which ends the description: the name (and
    # her gender) is "Lisa Cheng", so a later "He" is not her
    ("title", "The moderator, Channel 4 anchor Lisa Cheng, pressed both men on the budget. She asked James "
     "Whitaker how he would pay for it. He said he would cut waste.", "how he would pay", "Lisa Cheng"),
    ("title", "The moderator, Channel 4 anchor Lisa Cheng, pressed both men on the budget. She asked James "
     "Whitaker how he would pay for it. He said he would cut waste.", "cut waste", "James Whitaker"),
    # a reporter of an agency is the speaker, not the agency; the agency itself still is
    ("agency staff", "\"We are ready,\" said John Miller of the Associated Press.", "We are ready", "John Miller"),
    ("agency staff", "The Associated Press reported that the ship had sunk.", "ship had sunk", "AP"),
    # "the statement" after an agency's report is the agency's; "a statement" is a new one, whose
    # issuer the phrase does not say
    ("document", "KCNA said the test had succeeded. The statement said the country would \"never bow\" to "
     "threats.", "never bow", "KCNA"),
    ("document", "KCNA said the test had succeeded. In Seoul, President Lee Min-ho called an emergency "
     "meeting. Lee ordered officials to stay alert, according to a statement.", "stay alert", "statement"),
    # a participle after the reported clause is the reporter's, not the reported clause's subject's
    ("participle", "The governor said the state would cover the costs, adding that federal help was still needed.",
     "federal help", "governor"),
    ("participle", "Officials said the storm would reach the coast by Friday, warning residents to leave.",
     "residents to leave", "Officials"),
    # a role before a name after the cue: the parse takes "union leader" for the subject, the
    # tagged mention holds the name; a role with no name stays the role
    ("role before name", "\"We will not pay for their mistakes,\" said union leader Rosa Diaz. \"Not one cent.\"",
     "We will not pay", "Rosa Diaz"),
    ("role before name", "\"The pitch is flooded,\" said club captain Ian Moss.", "pitch is flooded", "Ian Moss"),
    ("role alone", "\"We will not pay for their mistakes,\" a union leader said.", "We will not pay",
     "union leader"),
    # an office before the name; an office "of" a body with no name after it stays the description
    ("office", "City Council member Ana Ruiz, a Democrat from Queens, said the budget was unfair.", "budget was unfair",
     "Ana Ruiz"),
    ("office", "Sheriff Dale Combs told reporters that the road would stay closed.", "road would stay", "Dale Combs"),
    ("office", "Principal Rosa Alvarez said her school had already sent letters home.", "sent letters home",
     "Rosa Alvarez"),
    # a role noun opening the sentence, the name right after it
    ("office", "Council member Tom Briggs, who voted against the ban, said it would raise costs for builders.",
     "raise costs", "Tom Briggs"),
    ("office", "A member of the school board said the vote was rushed.", "vote was rushed", "member of the school board"),
    # a time the parse hangs on the speaker's noun is no part of its name
    ("time", "China's foreign ministry on Monday urged Washington to \"stop interfering\" in its affairs.",
     "stop interfering", "China's foreign ministry"),
    ("time", "A spokesman on Tuesday night said the talks had failed.", "talks had failed", "spokesman"),
    ("time", "Officials in Texas said the road was closed.", "road was closed", "Officials in Texas"),
    # a hyphenated given name whose hyphen the parse hangs outside the subject
    ("hyphenated", "\"This is a clear provocation,\" Defense Minister Lee Jun-ho told lawmakers.",
     "clear provocation", "Lee Jun-ho"),
    # "the 44-year-old" stands for the person named before; "a 44-year-old ..." is someone new
    ("age", "Manager Sofia Marquez was furious after the match. \"The referee ruined the game,\" the "
     "44-year-old said.", "referee ruined", "Sofia Marquez"),
    ("age", "Police arrested a man on Friday. \"I did nothing wrong,\" a 44-year-old witness said.",
     "did nothing wrong", "44-year-old witness"),
    # a surname before the story names the person in full: the full name, where the article
    # names one person so
    ("surname first", "Flynn said on Monday that the deal was fine. Retired general Michael Flynn spoke in Ohio.",
     "deal was fine", "Michael Flynn"),
    ("surname first", "Ms. Okafor said on Monday that the bridge was safe. Transport minister Hana Okafor spoke "
     "in Lagos.", "bridge was safe", "Hana Okafor"),
    # "it" and "they" for an organisation or group named by a description: named as the
    # description of a speaker is, without the article, the possessor kept
    ("description", "The governor's office released a statement on Tuesday night. \"The state will not "
     "tolerate violence,\" it said.", "will not tolerate", "governor's office"),
    ("description", "The health ministry released new figures on Monday. \"Cases are falling,\" it said.",
     "Cases are falling", "health ministry"),
    # "she" that only one person could take says that person is a woman: a later "he" takes the man
    ("pronoun gender", "Dr. Hannah Weiss met principals on Thursday. \"We expect more cases,\" Weiss said. She "
     "urged parents to act. The state health commissioner, Mark Ellison, praised the response. He told "
     "reporters the outbreak was \"contained.\"", "outbreak was", "Mark Ellison"),
    # a title line quoting a person: the person named in the story ("Lee on Housing: ..." is Lee's)
    ("title", "Okafor: Bridge Will Reopen in May\n\nTransport minister Hana Okafor said on Monday that the bridge "
     "would reopen in May.", "Bridge Will Reopen", "Hana Okafor"),
    ("title", "Lee on Housing: We Will Build More\n\nMayor Ann Lee said the city would build 5,000 homes.",
     "We Will Build More", "Ann Lee"),
    # two of them named so: the surname stays as it is
    ("surname first", "Okafor said on Monday that the bridge was safe. Transport minister Hana Okafor and her "
     "brother Daniel Okafor spoke in Lagos.", "bridge was safe", "Okafor"),
    # a transcript quoted paragraph by paragraph: each label names its speaker, even where a cue
    # stands inside the words ("as the Wall Street Journal wrote")
    ("transcript", _TRANSCRIPT, "Will the candidates shake hands", "Chris Wallace"),
    ("transcript", _TRANSCRIPT, "a reality show", "Mike Pence"),
    ("transcript", _TRANSCRIPT, "tax returns are still missing", "Chris Wallace"),
    ("transcript", _TRANSCRIPT, "when the audit is done", "Mike Pence"),
    # eighth sitting: where the text gives no gender, the first name does ("Walter" is a man's)
    ("first name", "The tenants' lawyer, Walter Pryce, said the landlord had ignored the court. Residents "
     "were more cautious. \"We only want the heating back,\" said Edith Baines, who has lived there for "
     "years. Pryce spoke to the council on Friday. Later she said the families would stay.",
     "families would stay", "Edith Baines"),
    # the list is the weakest evidence: where it leaves no one, the text decides ("Andrea" is
    # a woman's name in the US lists, a man's in Italy)
    ("first name", "Juventus coach Andrea Pirlo said the team had played well. He added that the title race "
     "was open.", "title race", "Andrea Pirlo"),
    # ninth sitting: first names from many countries, not the US lists alone ("Volodymyr", "Rahul"
    # were in none of them), accents folded ("Aurélie")
    ("first name", "The union's lawyer, Volodymyr Hnatyuk, said the mine owners had ignored the court. \"We "
     "only want safe shafts,\" said Ngozi Adeyemi, who has worked there for years. Hnatyuk spoke to the "
     "council on Friday. Later she said the miners would strike.", "miners would strike", "Ngozi Adeyemi"),
    ("first name", "Rahul Mehta, the deputy minister, opened the port on Monday. The harbour master, Saoirse "
     "Byrne, said the cranes were ready. Byrne toured the docks. Afterwards he said the tariffs would fall.",
     "tariffs would fall", "Rahul Mehta"),
    ("first name", "Benoît Gagnon chairs the committee. Aurélie Tremblay, its newest member, voted against "
     "the plan. Tremblay left early. He told reporters the vote was final.", "vote was final", "Benoît Gagnon"),
    # a surname opening a sentence the parse skipped is still that person's name
    ("known surname", "Rosalind Achebe, a neighbour, has fought the plan for a year. The council's lawyer, "
     "Helen Ward, said the permit was valid. \"The law is clear,\" Ward said. Achebe herself was calm. "
     "Outside the hall, she told reporters the fight was not over.", "fight was not over", "Rosalind Achebe"),
    # a description's own noun is gender evidence: "he" is not the spokeswoman
    ("description", "Dock foreman Kwame Asante has worked the cranes for years. A spokeswoman for the port "
     "authority said on Monday that the cranes were safe. \"Two of them shake in the wind,\" he said.",
     "shake in the wind", "Kwame Asante"),
    # an occupation before a name, capitalised at the sentence's start, is a role, not a name
    ("occupation", "Heavy rain is expected. Forecaster Luis Ortega said some areas could see ten inches by "
     "Tuesday.", "ten inches", "Luis Ortega"),
    ("occupation", "Pollster Grace Whitby said the race was tied.", "race was tied", "Grace Whitby"),
    ("occupation", "Landlord Peter Vance says the rent will rise next year.", "rent will rise", "Peter Vance"),
    # ninth sitting: an organisation after the name is an affiliation; the occupation stays a role
    ("occupation", "Analyst Priyanka Menon of the Observer Research Foundation urged caution. \"We have heard "
     "this before,\" Menon said.", "heard this before", "Priyanka Menon"),
    # a sentence the parse skipped: its opening adverb is no part of the name after it
    ("sentence adverb", "Donald Trump spoke in Iowa on Monday. So Donald Trump went to Ohio on Tuesday. \"The polls "
     "are rigged,\" he said.", "polls are rigged", "Donald Trump"),
    ("sentence adverb", "Certainly Donald Trump spoke in Ohio. \"We will win,\" he said.", "We will win",
     "Donald Trump"),
    # ... but a word that opens a sentence may be a name's elsewhere ("Al From")
    ("sentence adverb", "Al From founded the council. \"We lost the South,\" From said.", "lost the South",
     "Al From"),
    ("sentence adverb", "Hillary Clinton spoke in Ohio on Monday. Wherever Hillary Clinton goes, crowds follow. "
     "\"We will win this state,\" she said.", "win this state", "Hillary Clinton"),
    # a title word after a first name, or alone after "Mr.", is a surname ("king" is a title too)
    ("title surname", "Larry King hosts a show on RT. \"They pay us a lot of money,\" Mr. King said.", "pay us",
     "Larry King"),
    ("title surname", "Larry King and Ed Schultz host shows on RT. \"We need the money,\" Mr. Schultz said.",
     "need the money", "Ed Schultz"),
    # an apposition between dashes is no part of the name, as between commas
    ("dash apposition", "Daniel Okoro — surgeon and daytime TV star — said the diet \"works for everyone.\"",
     "works for everyone", "Daniel Okoro"),
    # a title word before "'s" names a place or a college, not a role ("King's College")
    ("affiliation", "Dr. Paul Ames of King's College London, who was not involved in the research, said "
     "people may simply walk less.", "walk less", "Paul Ames"),
    # a spokesperson "for the" organisation: the organisation's whole name
    ("spokesperson", "A spokesperson for the Free Speech Coalition, which brought the suit, called the ruling "
     "\"a victory for every adult in Texas.\"", "a victory", "Free Speech Coalition"),
    # two people coordinated, each with a title: two names, not a role ending at the second title
    ("titled pair", "Finance Minister Ana Ruiz and Opposition Leader Jon Bell clashed on Tuesday over the housing "
     "plan.\n\nRuiz told reporters the plan would \"put keys in the hands of young families.\"", "put keys",
     "Ana Ruiz"),
    # a family named before a group noun, opening a sentence the parse skipped, is a group
    ("family", "The Okonkwo sisters have run the bakery for thirty years. Now they want to retire. "
     "\"We are tired,\" they said.", "We are tired", "Okonkwo sisters"),
    # a headline in title case: its capitals make no name of "Warren Hammers Bank Chief" or
    # "Trump Supporter", and a surname is the person named in full with it last
    ("title case", "Okafor Says River Port Explains Growth\n\nPresident Okafor spoke at the harbor on Monday. "
     "\"The port is our future,\" Mr. Okafor said.", "port is our future", "Okafor"),
    ("title case", "Lindqvist Hails Team Effort After Cup Win\n\nThe coach was pleased on Saturday. \"We "
     "suffered for every point,\" Lindqvist said.", "suffered for every point", "Lindqvist"),
    ("title case", "Paper Profiles Trump Supporter Who Lost Her Job\n\nDonald Trump spoke in Ohio on Monday. "
     "\"We will win this state,\" Trump said.", "win this state", "Donald Trump"),
    # a title's gender keeps a surname off the one person named in full with it
    ("title gender", "The first lady, Michelle Obama, visited the school on Friday. Mr. Obama said the bill "
     "would pass.", "bill would pass", "Obama"),
    # a gendered noun with a name in apposition: the name is the mention, and the noun its gender
    ("apposition name", "Frank Dimarco has repaired shoes here since 1968. His daughter, Lucia, keeps the "
     "accounts. She says business has picked up since the pandemic.", "business has picked up", "Lucia"),
    # a subject named by a gendered noun is a person a later "she" can mean
    ("person noun", "Viktor Halle ran the farm for forty years. His widow keeps the books now, and at 80 she "
     "still says the harvest \"was never better.\"", "never better", "his widow"),
    # tenth sitting: a role phrase finds the person introduced with the title's short form
    ("title form", "Sen. Ron Wyden on Wednesday said he wants to close three loopholes in the tax code. The "
     "senator said he would \"bring a bill next year to fix a broken system.\"", "bring a bill", "Ron Wyden"),
    ("title form", "Rep. Dana Holt toured the flooded valley on Monday. The congresswoman said the levees "
     "had failed.", "levees had failed", "Dana Holt"),
    # a title with an organisation for its object, then the name: the role is the person's
    ("title object", "Speaker of the House Mike Johnson said the vote would go ahead. The speaker told reporters "
     "he had \"the votes we need.\"", "the votes we need", "Mike Johnson"),
    ("title object", "Chairman of the Senate Armed Services Committee Roger Wicker said the deal was bad. The "
     "chairman said he would hold hearings.", "hold hearings", "Roger Wicker"),
    # a title word after a first name, before no other name, is a surname ("Boxer"), not a title
    ("title surname", "Senator Barbara Boxer of California said she had reached out to the campaign.",
     "reached out", "Barbara Boxer"),
    ("title surname", "Charlotte Mayor Jennifer Roberts said the city was calm.", "city was calm",
     "Jennifer Roberts"),
    # ... and a title with its object and no name names no one by the object
    ("title object", "The U.S. attorney in D.C. said the case was closed.", "case was closed",
     "U.S. attorney in D.C."),
    ("title object", "The U.S. attorney in Boston, Rachel Kimura, said the charges would be filed on Monday.",
     "charges would be filed", "Rachel Kimura"),
    # ... with modifiers before the role: "the Democratic senator" is no one named "Democratic"
    ("modified role", "Sen. Patty Murray questioned the bank's chief for two hours. The Democratic senator "
     "said the bank had known about the fraud for years.", "known about the fraud", "Patty Murray"),
    ("modified role", "Gov. Greg Abbott toured the site on Friday. The Texas governor said the state would help.",
     "state would help", "Greg Abbott"),
    ("modified role", "The White House spokesman said the bill was dead.", "bill was dead", "White House spokesman"),
    # ... and a pronoun after a role phrase no name was found for finds the person named before
    ("modified role", "Ted Cruz spoke in Houston on Monday. \"We will win,\" the Texas senator said. He added "
     "that the delegates were with him.", "delegates were with him", "Ted Cruz"),
    # a nationality names someone of that nation: not the one president named with the title alone
    ("nationality", "President Joe Biden spoke in Ohio on Monday. The French president said the deal was fair.",
     "deal was fair", "French president"),
    ("nationality", "Russian President Vladimir Putin spoke in Moscow on Monday. The Russian president said the "
     "deal was fair.", "deal was fair", "Vladimir Putin"),
    # ... and so does one whom no one was introduced with the title, or a nationality (sports style)
    ("person in view", "Pep Guardiola said his side had lost the habit of winning. The City manager told the BBC "
     "that he would not resign. \"I have a contract,\" the Spaniard said.", "would not resign", "Pep Guardiola"),
    ("person in view", "Pep Guardiola said his side had lost the habit of winning. The City manager told the BBC "
     "that he would not resign. \"I have a contract,\" the Spaniard said.", "I have a contract", "Pep Guardiola"),
    ("person in view", "Brighton coach Fabian Hurzeler praised his players. \"They ran for ninety minutes,\" the "
     "German said.", "ninety minutes", "Fabian Hurzeler"),
    # ... but not a role held for someone else: the spokesman is not Biden
    ("person in view", "Joe Biden spoke in Ohio. The White House spokesman said the bill was dead.",
     "bill was dead", "White House spokesman"),
    # a common noun after the name it modifies is someone else: an aide is not Clinton
    ("modified noun", "Hillary Clinton spoke in Ohio. A Clinton aide said the poll was fake.", "poll was fake",
     "Clinton aide"),
    ("modified noun", "A senior Treasury official, who spoke on condition of anonymity, said the review would be "
     "delayed.", "review would be delayed", "senior Treasury official"),
    ("modified noun", "Donald Trump spoke in Ohio. The Trump campaign said the poll was fake.", "poll was fake",
     "Trump campaign"),
    # a title in apposition is a role of the name: "the chancellor" later is Rachel Reeves
    ("apposed title", "\"We inherited a mess,\" said Rachel Reeves, the chancellor. The chancellor added that the "
     "budget would be \"tough but fair.\"", "tough but fair", "Rachel Reeves"),
    ("apposed title", "Ana Ruiz, a spokeswoman for the ministry, declined to comment on Monday. The spokeswoman "
     "later said the talks would resume.", "talks would resume", "Ana Ruiz"),
    # ... and a modifier the person was not introduced with names no one of that title
    ("modified role", "Republican nominee Donald Trump spoke in Ohio. Hillary Clinton spoke in Iowa. The "
     "Democratic presidential nominee said the economy was strong.", "economy was strong",
     "Democratic presidential nominee"),
    ("modified role", "Democratic nominee Hillary Clinton spoke in Iowa. Republican nominee Donald Trump spoke in "
     "Ohio. The Democratic nominee said the economy was strong.", "economy was strong", "Hillary Clinton"),
    # the object of "pressed", "urged" or "forced" is who says the infinitive's words
    ("object control", "The Democratic senator also pressed Jon Halvorsen to admit that the bank had known about "
     "the fraud.", "bank had known", "Jon Halvorsen"),
    # a participle whose time phrase the mention left out is no part of the name
    ("participle", "Rents rose 9 percent last year, a report published on Tuesday said.", "Rents rose", "report"),
    # a past-tense report coordinated with a modal clause is the reporter's second report
    ("second report", "Dutch Prime Minister Mark Rutte said this week that the country would set out its terms "
     "by the end of May and suggested that it would stay in the customs union for now.", "customs union",
     "Mark Rutte"),
    # a clause after a common noun is no part of its name: a day and a journal name no study, but
    # the "by" agent of a report is its maker
    ("clause", "People who drink coffee had a lower risk of dying, according to a study published Wednesday in "
     "the journal Cardiology Today.", "lower risk", "study"),
    ("clause", "Prices will rise, according to a report released Tuesday by the Federal Reserve Bank of Boston.",
     "Prices will rise", "Federal Reserve Bank of Boston"),
    ("clause", "The bridge is unsafe, according to engineers who inspected it for the city of Boston.",
     "bridge is unsafe", "engineers"),
    # a place is no name of the person it places; an organisation one speaks for is
    ("placed", "When I was nine, the librarian on Elm Street told me that any book was mine.", "any book",
     "librarian on Elm Street"),
    ("placed", "A nurse at St. Mary Hospital said the ward was full.", "ward was full", "nurse at St. Mary Hospital"),
    ("placed", "A spokesman for the Red Cross said the roads were closed.", "roads were closed", "Red Cross"),
    ("placed", "His former partner at Lenox, Lawrence Cummings, called him a master of the deal.", "a master",
     "Lawrence Cummings"),
    # a name set off by a comma after a clause is the name, whatever the parse hung it on
    ("clause", "Volunteers gathered in Dayton on Sunday. One deacon supporting Ms. Ortiz, Harlan Briggs of Grace "
     "Chapel in Dayton, said he had made more than 150 phone calls to other deacons.", "150 phone calls",
     "Harlan Briggs"),
    # a short description after the comma leads to the name; an age is no part of it
    ("apposition", "Two men were arrested. The other man, his cousin James York, 40, said he had done nothing "
     "wrong.", "done nothing wrong", "James York"),
    # a clause that names ("an academic named ..."), or a title's own words, is kept
    ("clause", "Applause came from a 70-year-old academic named Eric Kingson, who said the speech was great.",
     "speech was great", "Eric Kingson"),
    ("maker", "An email from Neera Tanden said that the donor regretted his gift.", "donor regretted",
     "Neera Tanden"),
    # an adjective that is a known person's name stays a name
    ("adjective", "Council President Marty Small spoke first. \"It is a positive story,\" Small said.",
     "positive story", "Marty Small"),
    # a role the parse cut from the name after it: the name
    ("title split", "Peter Hart, a pollster, spoke first. \"It is hard to dispute the rising negatives,\" said "
     "Democratic pollster Stan Greenberg.", "rising negatives", "Stan Greenberg"),
    # a possessor's document is not the latest agency's; an occasion makes no document
    ("maker", "The foundation released new figures, AP reported. Meals reached 31,000 children, according to the "
     "foundation's tally.", "Meals reached", "foundation's tally"),
    # a share of people is a group: no antecedent of "his"
    ("proportion", "Donald Trump spoke in Ohio. Sixty-two percent of Republicans said they wanted his tax returns "
     "released, despite his claim that people would learn nothing from them.", "learn nothing", "Donald Trump"),
    # a document's maker after "from" or "by" is who speaks; an adjective is no name
    ("maker", "Li met Anwar in Beijing, according to a statement from the Chinese foreign ministry.", "Li met",
     "Chinese foreign ministry"),
    ("maker", "Rents rose, according to a report by the World Bank.", "Rents rose", "World Bank"),
    # a document noun is its maker's, even with a clause after it
    ("clause", "Scott was one of 707 people shot by police, according to a Washington Post database tracking "
     "such deaths.", "707 people", "Washington Post"),
    # a mention that ends in a comma after an apposition is named by its noun's name, not the comma
    ("apposition", "The study was large. Her co-author, Tomas Reyes, a statistician at the same university, "
     "cautioned against reading too much into the numbers. He said heavy drinkers showed no benefit.",
     "reading too much", "Tomas Reyes"),
]

#: the writer's own "I" and "we", out of quotation marks: no name before them stands for them
NARRATOR = ("I met Governor Tobias Wren at his office last spring. I told him the new road would split the "
            "village. \"We have heard that before,\" he said.")


def test_the_writers_own_i_is_nobody_named_in_the_article(extracted):
    art = extracted.get(NARRATOR) or extracted.setdefault(NARRATOR, quotecraft.extract(NARRATOR))
    told = [q for q in art.quotes if "split the village" in q.text]
    assert told and told[0].speaker is not None and told[0].speaker.mention.text == "I"
    assert told[0].speaker.name == ""
    # a pronoun inside the quotation still finds the governor
    assert _speaker(extracted, NARRATOR, "heard that before").name == "Tobias Wren"


@pytest.mark.parametrize("shape,text,snippet,name", EXACT_CASES, ids=[f"{c[0]}-{c[2][:20]}" for c in EXACT_CASES])
def test_speaker_whole_name(extracted, shape, text, snippet, name):
    assert _speaker(extracted, text, snippet).name == name


def test_a_transcript_quoted_paragraph_by_paragraph_is_read_by_its_labels(extracted):
    art = extracted.get(_TRANSCRIPT) or extracted.setdefault(_TRANSCRIPT, quotecraft.extract(_TRANSCRIPT))
    labelled = [q for q in art.quotes if q.cue is not None and q.cue.text == ":"]
    assert [q.speaker.mention.text for q in labelled] == ["WALLACE", "PENCE", "WALLACE", "PENCE"]
    # the words after the label, without the marks that quote the transcript
    assert labelled[0].text == "Let me start with the debate. Will the candidates shake hands?"
    # a turn runs over the quoted paragraphs after it, up to the reporter's sign-off
    assert [c.text for c in labelled[-1].content] == [
        "The returns will come out when the audit is done.",
        "But the truth is that the governor talks to voters in his own way.", "He will be at the debate."]
    # the resolver's reading of each label: put out in place of the tagger's, or added where the
    # tagger read none
    assert all(q.decided_by in ("transcript_label", "backfill_direct") for q in labelled)
    assert "transcript_label" in [q.decided_by for q in labelled]
    assert not [q for q in art.quotes if "Follow" in q.text or (q.cue is None or q.cue.text != ":")
                and any(w in q.text for w in ("truth is", "be at the debate"))]


def test_a_title_that_names_no_person_quotes_no_one(extracted):
    text = "A Curious Plan to Save the Pier: Sell the Boats\n\nThe city council voted on Monday to sell two ferries."
    art = extracted.get(text) or extracted.setdefault(text, quotecraft.extract(text))
    assert not [q for q in art.quotes if "Sell the Boats" in q.text]



@pytest.mark.parametrize("title", ["Storm Ciara live: thousands without power as winds reach 90mph",
                                   "Election night LIVE updates: polls close in Georgia and Ohio"])
def test_a_live_blog_title_quotes_no_one(extracted, title):
    text = title + "\n\nThe Met Office extended its warning. \"Gusts will be strong,\" a spokesperson said."
    art = extracted.get(text) or extracted.setdefault(text, quotecraft.extract(text))
    assert [q.text for q in art.quotes] == ['"Gusts will be strong,"']


#: an interview printed with its speakers' names as labels, a turn over two paragraphs, an afterword
NAMED_TURNS = ("Mayor Denise Okafor sat down with the Herald on Monday.\n\nHerald: What keeps you up at night?\n\n"
               "Okafor: Housing. Honestly, it's housing.\n\nRents have gone up faster than wages for six years.\n\n"
               "Herald: And the buses?\n\nOkafor: Four routes are free now.\n\n"
               "After the interview, her spokesman, Raj Patel, said two more routes would follow by March.")


def test_an_interview_with_named_turns_is_read_by_its_labels(extracted):
    art = extracted.get(NAMED_TURNS) or extracted.setdefault(NAMED_TURNS, quotecraft.extract(NAMED_TURNS))
    turns = [(q.speaker.name, q.text) for q in art.quotes if q.cue is not None and q.cue.text == ":"]
    assert turns == [("Herald", "What keeps you up at night?"),
                     ("Denise Okafor", "Housing. Honestly, it's housing. Rents have gone up faster than wages for six "
                                       "years."),
                     ("Herald", "And the buses?"), ("Denise Okafor", "Four routes are free now.")]
    # the afterword is no part of the last answer
    assert _speaker(extracted, NAMED_TURNS, "two more routes").name == "Raj Patel"
