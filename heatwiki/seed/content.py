"""The initial wiki content, as plain data loaded by ``manage.py seed_content``.

Facts come from the two articles in the shared seeds folder, rewritten in our own words.
Relations are given as slugs. Unknown details (dates, URLs, timecodes, addresses and coordinates
of unnamed places) are left empty on purpose.

Well-known facts added beyond the articles:
- Michael Mann wrote and directed Heat, released in 1995.
- Tom Sizemore plays Michael Cheritto, Danny Trejo plays Trejo, Kevin Gage plays Waingro,
  Diane Venora plays Justine Hanna, Ashley Judd plays Charlene Shiherlis, Amy Brenneman plays
  Eady; Cheritto, Trejo and Waingro are members of McCauley's crew; Eady is Neil's girlfriend.
- Pacino and De Niro were both in The Godfather Part II (1974) without sharing a scene.
- Neil's revenge at the end of Heat is on Waingro; Hanna shoots him at LAX.
- Cheritto and Hanna take part in the downtown bank robbery and shootout.
- Bob's Big Boy is a long-running restaurant chain.
- The Heat 2 novel was written with the thriller author Meg Gardiner.
- Chuck Adamson was a Chicago police detective.
- Coordinates of LAX (33.9425, -118.4081) and of 5th and Flower (34.0505, -118.2551).

Spoilers are marked for the reader's "My Heat" layers: passages of bodies in ``::: spoiler
<work>`` containers, scenes and credits by their work. The film's scenes are dated to the
period 1995 (dates are the first day of a period); the novel's two storylines are scenes of
the novel, in 1988 and after the shootout.
"""

from datetime import date

ROLES = [
    {"slug": "actor", "name": "Actor"},
    {"slug": "director", "name": "Director"},
    {"slug": "writer", "name": "Writer"},
    {"slug": "cinematographer", "name": "Cinematographer"},
    {"slug": "police-detective", "name": "Police detective"},
    {"slug": "criminal", "name": "Criminal"},
    {"slug": "real-life-inspiration", "name": "Real-life inspiration"},
]

WORKS = [
    {
        "slug": "heat",
        "title": "Heat",
        "kind": "film",
        "year": 1995,
        "status": "released",
        "description": "Michael Mann's 1995 Los Angeles crime film in which a relentless police detective and a disciplined professional thief pursue each other.",
        "body": (
            "**Heat** is a crime film written and directed by Michael Mann and released in 1995. Al Pacino plays Vincent Hanna, a Los Angeles police detective, and Robert De Niro plays Neil McCauley, who runs a crew of professional thieves. Val Kilmer, Tom Sizemore, Danny Trejo, Kevin Gage, Diane Venora, Ashley Judd and Amy Brenneman head the supporting cast.\n\n"
            "## Research and craft\n\n"
            "Mann built the film on detailed research into how police and career criminals actually work. Before the downtown shootout was filmed, the actors spent months training with firearms, and the gunfire heard in that sequence is the sound recorded on location, with the blanks echoing between the office towers, rather than effects added in post-production. Dante Spinotti's photography shows night-time Los Angeles as cold blue and grey light and deep shadow.\n\n"
            "## Lives outside the job\n\n"
            "Between the robberies and the investigation, the film dwells on what the work costs both men and the people around them: Hanna's failing marriage to Justine, McCauley's solitary life, and the stormy marriage of Chris and Charlene Shiherlis. The conversation between Hanna and McCauley in a coffee shop, modelled on a real meeting between a detective and a criminal in 1964, is the first scene Pacino and De Niro ever played together on screen.\n\n"
            "## Legacy\n\n"
            "The bank robbery and street battle is regularly held up by firearms instructors as one of the most convincing gunfights ever filmed, is studied in film schools, and influenced the shootout in *The Dark Knight*. Mann returned to the characters in the 2022 novel *Heat 2*, which is being adapted as a film."
        ),
    },
    {
        "slug": "heat-2-novel",
        "title": "Heat 2 (novel)",
        "kind": "novel",
        "year": 2022,
        "status": "released",
        "description": "Michael Mann's 2022 novel, written with Meg Gardiner, which is both a prequel and a sequel to the film Heat.",
        "body": (
            "*Heat 2* is a crime novel by Michael Mann, written with the thriller author Meg Gardiner and published in 2022. It extends the story of the 1995 film in two directions at once, and it became a best-seller.\n\n"
            "## Two timelines\n\n"
            "::: spoiler heat-2-novel\n"
            "- **Before the film:** a storyline set in 1988 returns to Neil McCauley and Vincent Hanna several years before they meet in *Heat*.\n"
            "- **After the film:** a second storyline follows Chris Shiherlis in the aftermath of the downtown shootout.\n"
            ":::\n\n"
            "::: spoiler heat\nSetting part of the book in 1988 lets Mann write about McCauley again, even though the character dies at the end of the film.\n:::\n\n"
            "## Origins\n\n"
            "Mann had the idea for the story almost ten years before it appeared, and he brought the book out while he was making his film *Ferrari*. Publishing it as a novel first meant the plot and tone were settled in print before any screen version was developed. The book is the basis of the planned *Heat 2* film from Amazon MGM."
        ),
    },
    {
        "slug": "heat-2-film",
        "title": "Heat 2 (film)",
        "kind": "film",
        "year": None,
        "status": "in_production",
        "description": "The Amazon MGM film adaptation of Michael Mann's novel Heat 2, with filming reported to begin in November 2026.",
        "body": (
            "*Heat 2* is a planned film adaptation of Michael Mann's 2022 novel, made with Amazon MGM. Like the book, it combines a prequel set before the events of *Heat* with a sequel that continues after them.\n\n"
            "## Casting\n\n"
            "Casting has been reported in stages, and none of the deals had been announced as final:\n\n"
            "- Leonardo DiCaprio as Chris Shiherlis and Christian Bale as Vincent Hanna, after about a year of negotiations.\n"
            "- Stephen Graham in talks to play Neil McCauley.\n"
            "- Adam Driver in negotiations to play the villain, Otis Wardell.\n"
            "- Charlene Shiherlis not yet cast, with a number of actresses said to be in contention.\n\n"
            "## Production\n\n"
            "Filming is reported to start in November 2026, leaving a long period of preparation. Mann habitually prepares his casts with extensive tactical training before a shoot, as he did on the original film."
        ),
    },
]

PEOPLE = [
    {
        "slug": "michael-mann",
        "title": "Michael Mann",
        "roles": ["director", "writer"],
        "description": "Filmmaker and author who wrote and directed Heat (1995) and wrote its follow-up novel, Heat 2.",
        "body": (
            "Michael Mann wrote and directed *Heat* (1995). His approach to the film rested on close research into police and criminal methods and on making its action look and sound physically real.\n\n"
            "## Working methods on Heat\n\n"
            "- He kept the location recording of the blanks echoing off downtown buildings for the shootout instead of replacing it with studio gunshots.\n"
            "- He based the coffee-shop conversation on a real 1964 encounter between detective Chuck Adamson and the criminal Neil McCauley, and filmed it without rehearsals.\n"
            "- He had the actors train with weapons for months before the heist was shot.\n\n"
            "## Heat 2\n\n"
            "Mann worked on a continuation of the story for close to a decade and published it as the novel *Heat 2* in 2022, written with Meg Gardiner, while he was making *Ferrari*. A film version is being prepared with Amazon MGM, with filming reported for November 2026."
        ),
    },
    {
        "slug": "al-pacino",
        "title": "Al Pacino",
        "roles": ["actor"],
        "description": "Actor who plays the detective Vincent Hanna in Heat (1995).",
        "body": (
            "Al Pacino plays Vincent Hanna, the Los Angeles detective who leads the hunt for Neil McCauley's crew in *Heat* (1995).\n\n"
            "*Heat* was the first film in which Pacino and Robert De Niro appear on screen together. Both had been in *The Godfather Part II* (1974), but in separate storylines, so the coffee-shop scene was the first they shared.\n\n"
            "In that scene Hanna tells McCauley about recurring dreams of victims he was unable to save. In the planned *Heat 2* film, the role of Hanna has reportedly gone to Christian Bale."
        ),
    },
    {
        "slug": "robert-de-niro",
        "title": "Robert De Niro",
        "roles": ["actor"],
        "description": "Actor who plays the master thief Neil McCauley in Heat (1995).",
        "body": (
            "Robert De Niro plays Neil McCauley, the disciplined leader of a crew of thieves, in *Heat* (1995).\n\n"
            "McCauley's rule of never becoming attached to anything he could not abandon at once is set out in the coffee-shop scene opposite Al Pacino, the first time the two actors shared the screen. For the downtown shootout, De Niro trained with weapons alongside Val Kilmer and Tom Sizemore.\n\n"
            "For the *Heat 2* film, Stephen Graham has been reported to be in talks to play McCauley in the story's 1988 timeline."
        ),
    },
    {
        "slug": "val-kilmer",
        "title": "Val Kilmer",
        "roles": ["actor"],
        "description": "Actor who plays Chris Shiherlis, a member of Neil McCauley's crew, in Heat (1995).",
        "body": (
            "Val Kilmer plays Chris Shiherlis, one of Neil McCauley's crew, in *Heat* (1995).\n\n"
            "His preparation for the downtown shootout became well known: Special Forces later adopted the shot of Shiherlis changing magazines at speed under fire as a teaching example.\n\n"
            "Kilmer's quieter moments are with Ashley Judd as Charlene, including the small nod between them and her wordless warning from a balcony. In the planned *Heat 2* film, the part has reportedly gone to Leonardo DiCaprio."
        ),
    },
    {
        "slug": "tom-sizemore",
        "title": "Tom Sizemore",
        "roles": ["actor"],
        "description": "Actor who plays Michael Cheritto, a member of Neil McCauley's crew, in Heat (1995).",
        "body": (
            "Tom Sizemore plays Michael Cheritto, one of Neil McCauley's crew, in *Heat* (1995).\n\n"
            "With Robert De Niro and Val Kilmer, Sizemore spent months training with firearms at the Los Angeles County Sheriff's combat shooting range before the downtown bank robbery was filmed, practising fast reloads and covering each other as they moved."
        ),
    },
    {
        "slug": "danny-trejo",
        "title": "Danny Trejo",
        "roles": ["actor"],
        "description": "Actor who plays Trejo, a member of Neil McCauley's crew, in Heat (1995).",
        "body": (
            "Danny Trejo plays the crew member Trejo in *Heat* (1995); the character shares the actor's surname.\n\n"
            "He is among the crew seen with their partners at the restaurant gathering early in the film, one of the few scenes showing the thieves away from their work."
        ),
    },
    {
        "slug": "kevin-gage",
        "title": "Kevin Gage",
        "roles": ["actor"],
        "description": "Actor who plays the unstable crew recruit Waingro in Heat (1995).",
        "body": (
            "Kevin Gage plays Waingro in *Heat* (1995), a recruit whose violence sets him apart from the rest of Neil McCauley's crew.\n\n"
            "Gage appears in the crew's restaurant evening early in the film, where the friction around Waingro first shows."
        ),
    },
    {
        "slug": "diane-venora",
        "title": "Diane Venora",
        "roles": ["actor"],
        "description": "Actor who plays Justine Hanna, Vincent Hanna's wife, in Heat (1995).",
        "body": (
            "Diane Venora plays Justine Hanna, the wife of detective Vincent Hanna, in *Heat* (1995).\n\n"
            "Her best-remembered scene has Justine waiting in the dark for her husband to come home and telling him that his life is spent with the dead he investigates rather than with her."
        ),
    },
    {
        "slug": "ashley-judd",
        "title": "Ashley Judd",
        "roles": ["actor"],
        "description": "Actor who plays Charlene Shiherlis, Chris Shiherlis's wife, in Heat (1995).",
        "body": (
            "Ashley Judd plays Charlene Shiherlis, the wife of Chris Shiherlis, in *Heat* (1995). The couple's marriage is shown as both turbulent and deeply passionate.\n\n"
            "Judd's most discussed moment comes late in the film, when Charlene warns Chris away from a balcony with a single hand gesture and no dialogue.\n\n"
            "For the *Heat 2* film, the role of Charlene had not been cast at the time of the latest reports."
        ),
    },
    {
        "slug": "amy-brenneman",
        "title": "Amy Brenneman",
        "roles": ["actor"],
        "description": "Actor who plays Eady, Neil McCauley's girlfriend, in Heat (1995).",
        "body": (
            "Amy Brenneman plays Eady in *Heat* (1995), a woman who becomes involved with Neil McCauley.\n\n"
            "Near the end of the film, McCauley realises he must walk away from Eady, leaving her in the car, a turn the film conveys without explanation."
        ),
    },
    {
        "slug": "dante-spinotti",
        "title": "Dante Spinotti",
        "roles": ["cinematographer"],
        "description": "Cinematographer who photographed Heat (1995).",
        "body": (
            "Dante Spinotti was the cinematographer of *Heat* (1995).\n\n"
            "His images present Los Angeles less as a sunny city than as points of light scattered across darkness. Scenes such as Neil McCauley's return to his empty house by the ocean are lit in cold blues and greys that reflect the character's isolation."
        ),
    },
    {
        "slug": "chuck-adamson",
        "title": "Chuck Adamson",
        "roles": ["police-detective", "real-life-inspiration"],
        "description": "Chicago police detective whose 1964 encounter with the criminal Neil McCauley inspired the coffee-shop scene in Heat.",
        "body": (
            "Chuck Adamson was a Chicago police detective. In 1964 he had a conversation with the criminal Neil McCauley, whom he was pursuing.\n\n"
            "Michael Mann used that real exchange as the basis for the dialogue between Vincent Hanna and Neil McCauley in the coffee-shop scene of *Heat* (1995), and the character of Hanna draws on Adamson."
        ),
    },
    {
        "slug": "neil-mccauley",
        "title": "Neil McCauley",
        "roles": ["criminal", "real-life-inspiration"],
        "description": "Real-life criminal whose 1964 conversation with detective Chuck Adamson inspired Heat, and whose name the film's master thief carries.",
        "body": (
            "Neil McCauley was a real criminal. In 1964 he met and spoke with Chuck Adamson, the detective who was pursuing him.\n\n"
            "That meeting inspired the coffee-shop scene in *Heat* (1995), and the thief played by Robert De Niro bears his name. This page is about the real man; the film character has a page of his own."
        ),
    },
    {
        "slug": "meg-gardiner",
        "title": "Meg Gardiner",
        "roles": ["writer"],
        "description": "Thriller novelist who wrote the 2022 novel Heat 2 with Michael Mann.",
        "body": (
            "Meg Gardiner is a crime and thriller novelist.\n\n"
            "She wrote the novel *Heat 2* (2022) with Michael Mann, continuing the story of the film *Heat* both before and after its events."
        ),
    },
    {
        "slug": "leonardo-dicaprio",
        "title": "Leonardo DiCaprio",
        "roles": ["actor"],
        "description": "Actor reported to have joined the Heat 2 film as Chris Shiherlis.",
        "body": (
            "Leonardo DiCaprio has reportedly joined the cast of the *Heat 2* film as Chris Shiherlis, the role Val Kilmer played in *Heat* (1995).\n\n"
            "His casting was reported together with Christian Bale's, after Amazon MGM had spent about a year negotiating. A studio representative told TheWrap that the deals were not yet final.\n\n"
            "DiCaprio rarely takes part in sequels or franchises, so his involvement was read as a sign of the project's standing."
        ),
    },
    {
        "slug": "christian-bale",
        "title": "Christian Bale",
        "roles": ["actor"],
        "description": "Actor reported to have joined the Heat 2 film as Vincent Hanna.",
        "body": (
            "Christian Bale has reportedly joined the cast of the *Heat 2* film as Vincent Hanna, the detective played by Al Pacino in *Heat* (1995).\n\n"
            "Bale, known for intense performances and physical transformations for his roles, was reported alongside Leonardo DiCaprio after a year of negotiations; the studio said the deals were not yet finalised."
        ),
    },
    {
        "slug": "stephen-graham",
        "title": "Stephen Graham",
        "roles": ["actor"],
        "description": "Actor reported to be in talks to play Neil McCauley in the Heat 2 film.",
        "body": (
            "Stephen Graham has been reported to be in talks to play Neil McCauley in the *Heat 2* film, the role Robert De Niro played in *Heat* (1995).\n\n"
            "Because part of the story takes place in 1988, years before the events of the first film, McCauley can return despite his death at its end."
        ),
    },
    {
        "slug": "adam-driver",
        "title": "Adam Driver",
        "roles": ["actor"],
        "description": "Actor reported to be in negotiations to play the villain Otis Wardell in the Heat 2 film.",
        "body": (
            "Adam Driver has been reported to be in negotiations to play Otis Wardell, the villain of the *Heat 2* film.\n\n"
            "Driver has worked with Michael Mann before, on the film *Ferrari*."
        ),
    },
]

CHARACTERS = [
    {
        "slug": "neil-mccauley",
        "title": "Neil McCauley",
        "works": ["heat", "heat-2-novel", "heat-2-film"],
        "inspired_by": "neil-mccauley",
        "description": "Leader of a crew of professional thieves in Heat, who lives by the rule of being ready to drop everything the moment the police close in.",
        "body": (
            "Neil McCauley leads a tightly disciplined crew of professional thieves in *Heat* (1995), where he is played by Robert De Niro. He takes his name from a real criminal of the 1960s.\n\n"
            "## His rule\n\n"
            "McCauley's principle, which he explains to Vincent Hanna over coffee, is to form no tie he could not cut within seconds once the police are near. He lives alone in a sparsely furnished house looking out over the ocean.\n\n"
            "## His end\n\n"
            "After the bank robbery goes wrong he has a chance to get away, but he turns back to take revenge on Waingro, breaking his own rule and abandoning Eady in the car. Hanna follows him into a field beside the runways at LAX, where McCauley is shot and dies holding Hanna's hand.\n\n"
            "## In Heat 2\n\n"
            "::: spoiler heat-2-novel\nThe novel *Heat 2* returns to McCauley in 1988.\n:::\n\n"
            "::: spoiler heat-2-film\nFor the film adaptation, Stephen Graham has been reported to be in talks for the role.\n:::"
        ),
    },
    {
        "slug": "vincent-hanna",
        "title": "Vincent Hanna",
        "works": ["heat", "heat-2-novel", "heat-2-film"],
        "inspired_by": "chuck-adamson",
        "description": "Los Angeles police detective in Heat whose pursuit of Neil McCauley's crew leaves little room for his marriage.",
        "body": (
            "Vincent Hanna is the police detective who hunts Neil McCauley's crew in *Heat* (1995), played by Al Pacino. The character draws on the real detective Chuck Adamson.\n\n"
            "## Work and home\n\n"
            "Hanna gives himself almost entirely to his cases, and his marriage to Justine is falling apart; she tells him that he lives with the dead he investigates rather than with her.\n\n"
            "## Facing McCauley\n\n"
            "When Hanna and McCauley sit down together in a coffee shop, Hanna describes his dreams about victims he could not save, and the two men recognise each other as equals. At the end of the film Hanna tracks McCauley to a field by the runways at LAX, shoots him, and holds his hand as he dies.\n\n"
            "## In Heat 2\n\n"
            "::: spoiler heat-2-novel\nThe novel *Heat 2* shows Hanna in 1988.\n:::\n\n"
            "::: spoiler heat-2-film\nChristian Bale has reportedly joined the film adaptation in the role.\n:::"
        ),
    },
    {
        "slug": "chris-shiherlis",
        "title": "Chris Shiherlis",
        "works": ["heat", "heat-2-novel", "heat-2-film"],
        "inspired_by": None,
        "description": "Member of Neil McCauley's crew in Heat, played by Val Kilmer.",
        "body": (
            "Chris Shiherlis is one of Neil McCauley's crew in *Heat* (1995), played by Val Kilmer. His marriage to Charlene is volatile but passionate.\n\n"
            "## In Heat\n\n"
            "During the downtown shootout, Shiherlis reloads under fire with a speed and precision that later made the shot a training example for Special Forces.\n\n"
            "::: spoiler heat\nLate in the film, Charlene's silent signal from a balcony warns him to stay away.\n:::\n\n"
            "## In Heat 2\n\n"
            "::: spoiler heat-2-novel\nThe novel *Heat 2* follows Shiherlis in the aftermath of the shootout.\n:::\n\n"
            "::: spoiler heat-2-film\nLeonardo DiCaprio has reportedly joined the film adaptation in the role.\n:::"
        ),
    },
    {
        "slug": "charlene-shiherlis",
        "title": "Charlene Shiherlis",
        "works": ["heat", "heat-2-film"],
        "inspired_by": None,
        "description": "Chris Shiherlis's wife in Heat, who warns him away with a silent signal from a balcony.",
        "body": (
            "Charlene Shiherlis is the wife of Chris Shiherlis in *Heat* (1995), played by Ashley Judd. The couple's bond is stormy but intensely close.\n\n"
            "Late in the film, Charlene stands on a balcony and, without a word, signals to Chris that he must not come to her. It is one of the most affecting moments of the film.\n\n"
            "For the *Heat 2* film the role had not been cast at the time of the latest reports, with a number of actresses said to be under consideration."
        ),
    },
    {
        "slug": "waingro",
        "title": "Waingro",
        "works": ["heat"],
        "inspired_by": None,
        "description": "Violent recruit in Heat who does not fit the professional code of Neil McCauley's crew.",
        "body": (
            "Waingro is a recruit to Neil McCauley's crew in *Heat* (1995), played by Kevin Gage.\n\n"
            "Unlike the others, he follows no professional code: he is unpredictable and dangerous, and he ends up betraying the crew. The friction around him first surfaces at the crew's restaurant evening.\n\n"
            "McCauley's decision to go after Waingro at the end of the film, rather than leave the city, breaks his own rule and leads to his death."
        ),
    },
    {
        "slug": "justine-hanna",
        "title": "Justine Hanna",
        "works": ["heat"],
        "inspired_by": None,
        "description": "Vincent Hanna's wife in Heat, whose marriage suffers under his devotion to his work.",
        "body": (
            "Justine Hanna is the wife of detective Vincent Hanna in *Heat* (1995), played by Diane Venora.\n\n"
            "Their marriage is in ruins. In one scene she waits for him in the dark and tells him that he does not really live with her, but among the remains of the crimes he investigates."
        ),
    },
    {
        "slug": "eady",
        "title": "Eady",
        "works": ["heat"],
        "inspired_by": None,
        "description": "Neil McCauley's girlfriend in Heat, whom he leaves waiting in a car near the end of the film.",
        "body": (
            "Eady is the woman Neil McCauley becomes involved with in *Heat* (1995), played by Amy Brenneman.\n\n"
            "Near the end of the film McCauley realises he must abandon Eady where she sits in the car, a moment the film plays almost without words."
        ),
    },
    {
        "slug": "michael-cheritto",
        "title": "Michael Cheritto",
        "works": ["heat"],
        "inspired_by": None,
        "description": "Member of Neil McCauley's crew in Heat, played by Tom Sizemore.",
        "body": (
            "Michael Cheritto is one of Neil McCauley's crew in *Heat* (1995), played by Tom Sizemore.\n\n"
            "He is with the crew and their partners at the restaurant evening early in the film, and he takes part in the downtown bank robbery and the gunfight that follows."
        ),
    },
    {
        "slug": "trejo",
        "title": "Trejo",
        "works": ["heat"],
        "inspired_by": None,
        "description": "Member of Neil McCauley's crew in Heat, played by Danny Trejo.",
        "body": (
            "Trejo is one of Neil McCauley's crew in *Heat* (1995), played by Danny Trejo, whose surname he shares.\n\n"
            "He is present at the crew's restaurant evening early in the film, one of the rare scenes that shows the thieves with their families."
        ),
    },
    {
        "slug": "otis-wardell",
        "title": "Otis Wardell",
        "works": ["heat-2-film"],
        "inspired_by": None,
        "description": "The villain of the planned Heat 2 film.",
        "body": (
            "Otis Wardell is the villain of the planned *Heat 2* film.\n\n"
            "Adam Driver has been reported to be in negotiations for the role. Driver previously worked with Michael Mann on *Ferrari*."
        ),
    },
]

LOCATIONS = [
    {
        "slug": "fifth-and-flower",
        "title": "5th and Flower, Downtown Los Angeles",
        "address": "5th Street and Flower Street, Downtown",
        "city": "Los Angeles",
        "latitude": "34.0505",
        "longitude": "-118.2551",
        "stands_for": "The street corridor of the bank robbery and shootout",
        "still_standing": True,
        "visitor_notes": "The high-rises around it still make the street feel hemmed in, and seeing them in person gives a sense of how hard the shoot must have been.",
        "description": "Downtown Los Angeles junction around which the bank robbery and shootout of Heat were filmed.",
        "body": (
            "The area around 5th Street and Flower Street in downtown Los Angeles is where *Heat* (1995) staged the aftermath of its bank robbery, the running gun battle between Neil McCauley's crew and the police.\n\n"
            "Michael Mann framed the length of the 5th Street corridor in wide shots, so that viewers always know where the police and the robbers are. The office towers on either side also shaped the soundtrack: the echo of the blank rounds off the buildings was recorded on location and kept in the finished film.\n\n"
            "The surrounding streets and high-rises are still standing."
        ),
    },
    {
        "slug": "lax",
        "title": "Los Angeles International Airport (LAX)",
        "address": "Los Angeles International Airport",
        "city": "Los Angeles",
        "latitude": "33.9425",
        "longitude": "-118.4081",
        "stands_for": "The field beside the runways where Hanna confronts McCauley",
        "still_standing": True,
        "visitor_notes": "",
        "description": "Los Angeles's main airport, beside whose runways the final confrontation of Heat takes place.",
        "body": (
            "Los Angeles International Airport is the setting of the last scene of *Heat* (1995).\n\n"
            "Vincent Hanna pursues Neil McCauley into the dark open ground behind a runway. The lights of aircraft coming in to land sweep over the field and flicker across the two men, disorienting both them and the viewer."
        ),
    },
    {
        "slug": "stand-off-coffee-shop",
        "title": "The coffee shop of the stand-off",
        "address": "",
        "city": "",
        "stands_for": "The coffee shop where Hanna and McCauley talk face to face",
        "still_standing": None,
        "visitor_notes": "",
        "description": "The coffee shop where Vincent Hanna and Neil McCauley sit down together in Heat.",
        "body": (
            "This coffee shop is the setting of the conversation between Vincent Hanna and Neil McCauley in *Heat* (1995), the scene that first brought Al Pacino and Robert De Niro together on screen.\n\n"
            "The two men sit across a table over white porcelain cups. Michael Mann kept the camera mostly on a single side of the table and composed the room behind each actor as part of the frame.\n\n"
            "The wiki's sources do not name the venue or say whether it still operates."
        ),
    },
    {
        "slug": "neil-mccauley-house",
        "title": "Neil McCauley's house",
        "address": "",
        "city": "",
        "stands_for": "Neil McCauley's home, overlooking the ocean",
        "still_standing": None,
        "visitor_notes": "",
        "description": "The bare, ocean-view house where Neil McCauley lives alone in Heat.",
        "body": (
            "Neil McCauley's house in *Heat* (1995) is a sparse, minimally furnished home with a view over the ocean.\n\n"
            "Dante Spinotti lit it in cold blues and greys. The empty rooms show that McCauley is wealthy and successful but has nothing and no one to come home to.\n\n"
            "The wiki's sources do not identify the real house used for filming."
        ),
    },
    {
        "slug": "hanna-house",
        "title": "Vincent Hanna's house",
        "address": "",
        "city": "",
        "stands_for": "The home Vincent Hanna shares with his wife Justine",
        "still_standing": None,
        "visitor_notes": "",
        "description": "The home of Vincent and Justine Hanna in Heat, where their marriage comes apart.",
        "body": (
            "Vincent Hanna's house is where *Heat* (1995) shows the state of his marriage to Justine.\n\n"
            "In its key scene Hanna comes home late to find Justine sitting in the dark waiting for him. The wiki's sources do not identify the real house used for filming."
        ),
    },
    {
        "slug": "crew-restaurant",
        "title": "The crew's restaurant",
        "address": "",
        "city": "",
        "stands_for": "The restaurant where Neil McCauley's crew spend an evening with their partners",
        "still_standing": None,
        "visitor_notes": "",
        "description": "The restaurant where Neil McCauley's crew gather with their wives and girlfriends early in Heat.",
        "body": (
            "Early in *Heat* (1995), Neil McCauley's crew and their wives and girlfriends spend an evening together at a restaurant.\n\n"
            "The wiki's sources do not name the restaurant or say whether it still operates."
        ),
    },
    {
        "slug": "charlene-balcony",
        "title": "Charlene's balcony",
        "address": "",
        "city": "",
        "stands_for": "The balcony from which Charlene signals Chris to stay away",
        "still_standing": None,
        "visitor_notes": "",
        "description": "The balcony from which Charlene Shiherlis silently warns her husband Chris in Heat.",
        "body": (
            "Late in *Heat* (1995), Charlene Shiherlis stands on this balcony and, with a single hand signal, warns her husband Chris away.\n\n"
            "The wiki's sources do not identify the real building used for filming."
        ),
    },
    {
        "slug": "la-county-sheriff-combat-range",
        "title": "Los Angeles County Sheriff's combat shooting range",
        "address": "Los Angeles County",
        "city": "",
        "stands_for": "Not seen on screen: where the cast trained for the shootout",
        "still_standing": None,
        "visitor_notes": "",
        "description": "Sheriff's department firing range where the cast of Heat trained with weapons for months before the bank heist was filmed.",
        "body": (
            "The Los Angeles County Sheriff's combat shooting range is where the actors of *Heat* (1995) prepared for the downtown bank robbery and shootout.\n\n"
            "Over several months, Robert De Niro, Val Kilmer and Tom Sizemore practised fast magazine changes, laying down covering fire, and moving in pairs so that one shooter covered while the other advanced. The results are visible on screen, most famously in Kilmer's reload under fire.\n\n"
            "The range does not appear in the film itself."
        ),
    },
    {
        "slug": "bobs-big-boy",
        "title": "Bob's Big Boy",
        "address": "Los Angeles area",
        "city": "",
        "stands_for": "",
        "still_standing": True,
        "visitor_notes": "Named among the classic Heat-related spots in the Los Angeles area that fans can still visit.",
        "description": "Classic Los Angeles-area diner named among the Heat-related places that fans can still visit.",
        "body": (
            "Bob's Big Boy is a long-running restaurant chain. Its classic Los Angeles-area diner is named among the places connected with *Heat* (1995) that fans can still visit.\n\n"
            "The wiki's sources do not say which branch or which scene is meant, so no scene is linked here yet."
        ),
    },
]

# Oldest first: undated reports are listed newest-first in the order they were loaded.
NEWS = [
    {
        "slug": "mann-publishes-heat-2-novel",
        "title": "Michael Mann publishes the novel Heat 2",
        "published_on": None,
        "source_name": "",
        "source_url": "",
        "claim_status": "confirmed",
        "people": ["michael-mann"],
        "works": ["heat-2-novel", "heat"],
        "description": "Michael Mann released Heat 2 as a novel in 2022, telling a story set both before and after the film Heat.",
        "body": (
            "Michael Mann released *Heat 2* as a novel in 2022. The book is both a prequel and a sequel to *Heat* (1995): it goes back to Neil McCauley and Vincent Hanna in 1988 and also follows Chris Shiherlis after the film's shootout.\n\n"
            "Mann had conceived the story nearly ten years earlier and brought it out while shooting *Ferrari*. The novel later became the basis of the *Heat 2* film."
        ),
    },
    {
        "slug": "heat-2-filming-november-2026",
        "title": "Heat 2 filming reported to begin in November 2026",
        "published_on": None,
        "source_name": "",
        "source_url": "",
        "claim_status": "reported",
        "people": ["michael-mann"],
        "works": ["heat-2-film"],
        "description": "Filming of Heat 2 is reported to begin in November 2026 after a long preparation period.",
        "body": (
            "Filming of *Heat 2* is reported to be scheduled to begin in November 2026.\n\n"
            "The date allows a lengthy preparation phase, in keeping with Michael Mann's habit of giving his actors extensive tactical training so that their handling of weapons looks instinctive on screen."
        ),
    },
    {
        "slug": "actresses-circling-charlene",
        "title": "Several actresses said to be circling Charlene in Heat 2",
        "published_on": None,
        "source_name": "",
        "source_url": "",
        "claim_status": "rumour",
        "people": ["ashley-judd"],
        "works": ["heat-2-film"],
        "description": "A number of actresses are rumoured to be in contention for Charlene Shiherlis in the Heat 2 film.",
        "body": (
            "A number of actresses are rumoured to be in contention for the role of Charlene Shiherlis in the *Heat 2* film. No names have been confirmed, and the role is listed as still being cast.\n\n"
            "Ashley Judd played Charlene in *Heat* (1995)."
        ),
    },
    {
        "slug": "adam-driver-negotiating-for-otis-wardell",
        "title": "Adam Driver in negotiations to play Otis Wardell in Heat 2",
        "published_on": None,
        "source_name": "",
        "source_url": "",
        "claim_status": "reported",
        "people": ["adam-driver"],
        "works": ["heat-2-film"],
        "description": "Adam Driver is reported to be negotiating to play the villain, Otis Wardell, in the Heat 2 film.",
        "body": (
            "Adam Driver has been reported to be in negotiations to play Otis Wardell, the villain of the *Heat 2* film.\n\n"
            "Driver previously worked with Michael Mann on *Ferrari*, the film Mann was making when the *Heat 2* novel came out."
        ),
    },
    {
        "slug": "stephen-graham-in-talks-for-neil-mccauley",
        "title": "Stephen Graham in talks to play Neil McCauley in Heat 2",
        "published_on": None,
        "source_name": "",
        "source_url": "",
        "claim_status": "reported",
        "people": ["stephen-graham"],
        "works": ["heat-2-film"],
        "description": "Stephen Graham is reported to be in talks to take on Neil McCauley, Robert De Niro's role in Heat, for the Heat 2 film.",
        "body": (
            "Stephen Graham has been reported to be in talks to play Neil McCauley in the *Heat 2* film. Robert De Niro created the role in *Heat* (1995).\n\n"
            "McCauley dies at the end of the first film, but the story's 1988 timeline allows the character to return. No deal had been confirmed at the time of the report."
        ),
    },
    {
        "slug": "dicaprio-and-bale-join-heat-2",
        "title": "Leonardo DiCaprio and Christian Bale join Heat 2",
        "published_on": None,
        "source_name": "TheWrap",
        "source_url": "",
        "claim_status": "reported",
        "people": ["leonardo-dicaprio", "christian-bale"],
        "works": ["heat-2-film"],
        "description": "Leonardo DiCaprio and Christian Bale are reported to have joined Heat 2 as Chris Shiherlis and Vincent Hanna, though their deals are not final.",
        "body": (
            "Leonardo DiCaprio and Christian Bale have been reported to have joined the cast of the *Heat 2* film, DiCaprio as Chris Shiherlis and Bale as Vincent Hanna.\n\n"
            "Amazon MGM is said to have negotiated with the actors for about a year. A representative of the studio told TheWrap that the deals had not yet been finalised.\n\n"
            "The two roles were played by Val Kilmer and Al Pacino in *Heat* (1995). DiCaprio seldom appears in sequels or franchise films, which commentators took as a sign of the project's prestige."
        ),
    },
]

SCENES = [
    {
        "slug": "crew-restaurant-evening",
        "title": "The crew's evening out",
        "work": "heat",
        "position": 1,
        "story_period": "1995",
        "story_date": date(1995, 1, 1),
        "featured": False,
        "locations": ["crew-restaurant"],
        "characters": [
            "neil-mccauley",
            "chris-shiherlis",
            "charlene-shiherlis",
            "michael-cheritto",
            "trejo",
            "waingro",
        ],
        "description": "Early in the film, Neil McCauley's crew spend an evening at a restaurant with their wives and girlfriends, and the trouble with Waingro begins.",
        "body": (
            "Early in *Heat*, Neil McCauley's crew meet at a restaurant with their wives and girlfriends. It is one of the few times the film shows the thieves relaxed and among family rather than at work.\n\n"
            "## What the scene sets up\n\n"
            "- **Waingro:** played by Kevin Gage, he does not share the discipline McCauley expects of his crew, and the tension around him starts here.\n"
            "- **Chris and Charlene:** the marriage of Chris Shiherlis and Charlene, played by Val Kilmer and Ashley Judd, is shown as both volatile and passionate.\n\n"
            "Danny Trejo and Tom Sizemore's characters are also at the table with their partners."
        ),
    },
    {
        "slug": "neil-drives-home",
        "title": "Neil drives home",
        "work": "heat",
        "position": 2,
        "story_period": "1995",
        "story_date": date(1995, 1, 1),
        "featured": False,
        "locations": ["neil-mccauley-house"],
        "characters": ["neil-mccauley"],
        "description": "Neil McCauley comes home alone to his bare house above the ocean, in a quiet scene lit in cold blues and greys.",
        "body": (
            "Neil McCauley returns alone by car to his sparse house overlooking the ocean. He lets himself in, sets his gun down on a table and stands looking out at the water.\n\n"
            "## Photography\n\n"
            "Dante Spinotti lit the scene in cold blue and grey tones. Throughout the film he shows Los Angeles as scattered lights against darkness rather than a sunny city, and here the look conveys McCauley's situation: he is successful and well off, yet completely alone.\n\n"
            "The scene contains no action; it relies on images and silence to describe its character."
        ),
    },
    {
        "slug": "hanna-comes-home",
        "title": "Hanna comes home",
        "work": "heat",
        "position": 3,
        "story_period": "1995",
        "story_date": date(1995, 1, 1),
        "featured": False,
        "locations": ["hanna-house"],
        "characters": ["vincent-hanna", "justine-hanna"],
        "description": "Vincent Hanna returns to find his wife Justine waiting for him in the dark, and their failing marriage is laid bare.",
        "body": (
            "Vincent Hanna returns home late. His wife Justine, played by Diane Venora, is sitting in the dark, waiting for him.\n\n"
            "Their marriage is close to collapse. Justine tells Hanna that he does not really live with her: his life is spent among the traces of the dead people he investigates.\n\n"
            "Together with McCauley's solitary evening at home, the scene shows what their dedication costs both men away from work."
        ),
    },
    {
        "slug": "coffee-shop-stand-off",
        "title": "The coffee-shop stand-off",
        "work": "heat",
        "position": 4,
        "story_period": "1995",
        "story_date": date(1995, 1, 1),
        "featured": True,
        "locations": ["stand-off-coffee-shop"],
        "characters": ["vincent-hanna", "neil-mccauley"],
        "description": "Vincent Hanna and Neil McCauley sit down together over coffee, the first time Al Pacino and Robert De Niro share the screen.",
        "body": (
            "Vincent Hanna and Neil McCauley, hunter and hunted, sit across a table from each other over coffee. The scene is the first in which Al Pacino and Robert De Niro appear on screen together: both were in *The Godfather Part II* (1974), but never in the same scene.\n\n"
            "## A real conversation\n\n"
            "The dialogue is based on a real conversation in 1964 between the detective Chuck Adamson and the criminal Neil McCauley. Michael Mann chose not to rehearse the scene, so that the two actors would size each other up for real as the cameras rolled, holding each other's gaze with very little blinking.\n\n"
            "## What is said\n\n"
            "McCauley explains the rule he lives by: never get attached to anything he could not leave behind in seconds if the police were closing in. Hanna replies with an account of dreams in which he sees victims he was unable to save. The exchange reveals a regard between the two adversaries that runs deeper than their ties to their own colleagues, which gives weight to the violence that follows.\n\n"
            "## How it is filmed\n\n"
            "Through most of the exchange the camera stays on a single side of the table, observing the 180-degree rule to create intimacy; Mann lets it cross the line briefly at the point of greatest tension. The room behind each actor is composed to frame him in every shot."
        ),
    },
    {
        "slug": "downtown-bank-heist",
        "title": "The downtown bank heist and shootout",
        "work": "heat",
        "position": 5,
        "story_period": "1995",
        "story_date": date(1995, 1, 1),
        "featured": False,
        "locations": ["fifth-and-flower"],
        "characters": ["neil-mccauley", "chris-shiherlis", "michael-cheritto", "vincent-hanna"],
        "description": "McCauley's crew rob a downtown bank and fight their way through the streets against the police in the film's famous gun battle.",
        "body": (
            "Neil McCauley's crew rob a bank in downtown Los Angeles and, when the police arrive, fight their way along the streets around 5th and Flower. Some writers refer to it as the North Valleys bank robbery. The sequence is the centrepiece of the film and is often studied in film schools; firearms instructors frequently rank it as the finest gun battle ever put on film.\n\n"
            "## Training\n\n"
            "The actors trained for months at the Los Angeles County Sheriff's combat shooting range. Robert De Niro, Val Kilmer and Tom Sizemore learned to reload quickly and to cover each other while moving. Special Forces later adopted the shot of Kilmer's Chris Shiherlis changing magazines under fire as a teaching example of correct technique.\n\n"
            "## Sound\n\n"
            "Instead of using recorded effects, Mann kept the production sound of the blanks ringing off the surrounding skyscrapers. The Colt 733 carbines and the FN FAL rifle are loud and harsh, and no music plays during the gunfire, which gives the scene an almost documentary feel.\n\n"
            "## Staging and influence\n\n"
            "Wide shots of the 5th Street corridor keep the positions of police and robbers clear at all times. Windows shatter, the actors' breathing can be heard, and the crew retreat with one man firing while another moves. The sequence later inspired the shootout in *The Dark Knight*."
        ),
    },
    {
        "slug": "charlene-s-warning",
        "title": "Charlene's warning",
        "work": "heat",
        "position": 6,
        "story_period": "1995",
        "story_date": date(1995, 1, 1),
        "featured": False,
        "locations": ["charlene-balcony"],
        "characters": ["charlene-shiherlis", "chris-shiherlis"],
        "description": "From a balcony, Charlene Shiherlis warns her husband Chris away with a single silent gesture.",
        "body": (
            "Late in the film, as Chris Shiherlis comes looking for his wife, Charlene appears on a balcony and gives him a small hand signal that tells him to stay away.\n\n"
            "Nothing is said. The gesture, and Chris's understanding of it, carries the whole moment, and it is widely considered one of the most moving in *Heat*."
        ),
    },
    {
        "slug": "showdown-at-lax",
        "title": "The showdown at LAX",
        "work": "heat",
        "position": 7,
        "story_period": "1995",
        "story_date": date(1995, 1, 1),
        "featured": False,
        "locations": ["lax"],
        "characters": ["vincent-hanna", "neil-mccauley", "eady"],
        "description": "Vincent Hanna finally catches Neil McCauley in a field behind an LAX runway at night, and holds his hand as he dies.",
        "body": (
            "The film ends at night on open ground behind a runway at Los Angeles International Airport. The landing lights of incoming aircraft flash across the field, making it hard for either man to see.\n\n"
            "## The broken rule\n\n"
            "McCauley could have escaped, but he turned back to settle his score with Waingro, ignoring his own rule about walking away in seconds. When Hanna appears, McCauley abandons Eady where she sits in the car and runs.\n\n"
            "## The end\n\n"
            "::: spoiler heat\nThe confrontation is brief: a handful of shots fired in darkness rather than a drawn-out fight. Hanna wins, and as McCauley dies, Hanna takes his hand, a last acknowledgement of the bond between hunter and hunted.\n:::"
        ),
    },
    {
        "slug": "the-1988-storyline",
        "title": "The 1988 storyline",
        "work": "heat-2-novel",
        "canon": "novel",
        "position": 1,
        "story_period": "1988",
        "story_date": date(1988, 1, 1),
        "featured": False,
        "locations": [],
        "characters": ["neil-mccauley", "vincent-hanna"],
        "description": "The novel's prequel storyline, set years before the film.",
        "body": (
            "The prequel storyline of the novel *Heat 2* returns to Neil McCauley and Vincent Hanna in 1988, several years before they meet in *Heat*."
        ),
    },
    {
        "slug": "after-the-shootout",
        "title": "After the shootout",
        "work": "heat-2-novel",
        "canon": "novel",
        "position": 2,
        "story_period": "After the shootout",
        "story_date": date(1996, 1, 1),
        "featured": False,
        "locations": [],
        "characters": ["chris-shiherlis"],
        "description": "The novel's sequel storyline, after the film's downtown shootout.",
        "body": (
            "The sequel storyline of the novel *Heat 2* follows Chris Shiherlis in the aftermath of the downtown shootout."
        ),
    },
]

QUOTES = [
    {
        "scene": "hanna-comes-home",
        "position": 1,
        "speaker": "justine-hanna",
        "text": "…remnants of dead people.",
    },
    {
        "scene": "coffee-shop-stand-off",
        "position": 1,
        "speaker": "neil-mccauley",
        "text": "Don't let yourself get attached to anything you are not prepared to walk out on in 30 seconds flat if you feel the heat around the corner.",
    },
]

CREDITS = [
    # Heat (1995)
    {"work": "heat", "job": "director", "person": "michael-mann", "status": "confirmed"},
    {"work": "heat", "job": "writer", "person": "michael-mann", "status": "confirmed"},
    {"work": "heat", "job": "cinematographer", "person": "dante-spinotti", "status": "confirmed"},
    {
        "work": "heat",
        "job": "actor",
        "person": "al-pacino",
        "character": "vincent-hanna",
        "status": "confirmed",
    },
    {
        "work": "heat",
        "job": "actor",
        "person": "robert-de-niro",
        "character": "neil-mccauley",
        "status": "confirmed",
    },
    {
        "work": "heat",
        "job": "actor",
        "person": "val-kilmer",
        "character": "chris-shiherlis",
        "status": "confirmed",
    },
    {
        "work": "heat",
        "job": "actor",
        "person": "tom-sizemore",
        "character": "michael-cheritto",
        "status": "confirmed",
    },
    {
        "work": "heat",
        "job": "actor",
        "person": "danny-trejo",
        "character": "trejo",
        "status": "confirmed",
    },
    {
        "work": "heat",
        "job": "actor",
        "person": "kevin-gage",
        "character": "waingro",
        "status": "confirmed",
    },
    {
        "work": "heat",
        "job": "actor",
        "person": "diane-venora",
        "character": "justine-hanna",
        "status": "confirmed",
    },
    {
        "work": "heat",
        "job": "actor",
        "person": "ashley-judd",
        "character": "charlene-shiherlis",
        "status": "confirmed",
    },
    {
        "work": "heat",
        "job": "actor",
        "person": "amy-brenneman",
        "character": "eady",
        "status": "confirmed",
    },
    # Heat 2 (novel)
    {
        "work": "heat-2-novel",
        "job": "writer",
        "person": "michael-mann",
        "status": "confirmed",
        "source_news": "mann-publishes-heat-2-novel",
    },
    {"work": "heat-2-novel", "job": "writer", "person": "meg-gardiner", "status": "confirmed"},
    # Heat 2 (film)
    {
        "work": "heat-2-film",
        "job": "actor",
        "person": "leonardo-dicaprio",
        "character": "chris-shiherlis",
        "status": "joined",
        "source_news": "dicaprio-and-bale-join-heat-2",
    },
    {
        "work": "heat-2-film",
        "job": "actor",
        "person": "christian-bale",
        "character": "vincent-hanna",
        "status": "joined",
        "source_news": "dicaprio-and-bale-join-heat-2",
    },
    {
        "work": "heat-2-film",
        "job": "actor",
        "person": "stephen-graham",
        "character": "neil-mccauley",
        "status": "in_talks",
        "source_news": "stephen-graham-in-talks-for-neil-mccauley",
    },
    {
        "work": "heat-2-film",
        "job": "actor",
        "person": "adam-driver",
        "character": "otis-wardell",
        "status": "in_negotiations",
        "source_news": "adam-driver-negotiating-for-otis-wardell",
    },
    {
        "work": "heat-2-film",
        "job": "actor",
        "person": None,
        "character": "charlene-shiherlis",
        "status": "casting",
        "source_news": "actresses-circling-charlene",
    },
]
