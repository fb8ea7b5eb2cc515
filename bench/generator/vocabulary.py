"""What the generated desk is made of: people, proportions and the words they write.

Proportions are plausible guesses for a mid-sized company, not measurements: social
networks people use at work get more tickets than the blog, log-in and publishing
trouble is the daily bread, hacked accounts are rare but urgent.
"""

from __future__ import annotations

FIRST_NAMES = [
    "Emma",
    "Louis",
    "Chloé",
    "Hugo",
    "Léa",
    "Lucas",
    "Manon",
    "Nathan",
    "Camille",
    "Jules",
    "Sarah",
    "Gabriel",
    "Inès",
    "Arthur",
    "Jade",
    "Raphaël",
    "Alice",
    "Adam",
    "Lina",
    "Noah",
    "Zoé",
    "Paul",
    "Eva",
    "Tom",
    "Anna",
    "Victor",
    "Julie",
    "Théo",
    "Clara",
    "Maxime",
    "Olivia",
    "Liam",
    "Sofia",
    "Ethan",
    "Mia",
    "Oscar",
    "Nora",
    "Elias",
    "Ines",
    "Samuel",
    "Priya",
    "Kenji",
    "Amara",
    "Mateo",
    "Freya",
    "Yusuf",
    "Ingrid",
    "Tariq",
    "Aiko",
    "Diego",
    "Hannah",
    "Omar",
    "Greta",
    "Ravi",
    "Lucia",
    "Felix",
    "Maya",
    "Jonas",
    "Elif",
    "Marco",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "Andre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "Francois",
    "Martinez",
    "Legrand",
    "Schmidt",
    "Müller",
    "Rossi",
    "Novak",
    "Kowalski",
    "Jensen",
    "Silva",
    "Okafor",
    "Tanaka",
    "Singh",
    "Nguyen",
    "Haddad",
    "O'Brien",
    "Andersson",
    "Costa",
    "Weber",
    "Ivanova",
    "Fischer",
    "Romano",
    "Kaya",
]

# Share of employees per department (names as in tickets.reference_data.DEPARTMENTS), and how
# much more than average each one files: people who run the accounts ask the most.
DEPARTMENTS: dict[str, tuple[float, float]] = {
    "Sales": (0.22, 1.0),
    "Marketing": (0.14, 3.0),
    "Communications": (0.06, 3.5),
    "Human Resources": (0.08, 1.2),
    "Finance": (0.09, 0.5),
    "Engineering": (0.20, 0.6),
    "Customer Support": (0.16, 1.6),
    "Legal": (0.05, 0.7),
}
AGENT_DEPARTMENTS = {"it": "Engineering", "marketing": "Marketing", "communications": "Communications"}
# How the agents split over the queues (slugs as in tickets.reference_data.QUEUES).
AGENT_SHARES = {"it": 0.5, "marketing": 0.25, "communications": 0.25}
HOURLY_RATES = {"it": "85.00", "marketing": "70.00", "communications": "75.00"}

PROBLEM_WEIGHTS = {
    "login-access": 24,
    "publishing-problem": 19,
    "content-review": 12,
    "network-block": 10,
    "policy-etiquette": 10,
    "metrics-request": 9,
    "other": 8,
    "new-account": 6,
    "compromised-account": 2,
}
PLATFORM_WEIGHTS = {"twitter-x": 28, "linkedin": 27, "facebook": 19, "blog": 12, "other": 14}
# Some problems lean to one platform: broken pages are mostly the blog's, blocked sites Facebook's.
PLATFORM_WEIGHTS_BY_PROBLEM = {
    "publishing-problem": {"blog": 40, "linkedin": 20, "twitter-x": 18, "facebook": 12, "other": 10},
    "network-block": {"facebook": 38, "twitter-x": 26, "linkedin": 18, "other": 14, "blog": 4},
    "compromised-account": {"twitter-x": 45, "facebook": 25, "linkedin": 20, "blog": 8, "other": 2},
}
PLATFORM_NAMES = {
    "twitter-x": "Twitter/X",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "blog": "the blog",
    "other": "Instagram",
}
ACCOUNTS = {
    "twitter-x": ["@acme", "@acme_news", "@acme_careers", "@acme_support", "@acme_fr"],
    "linkedin": ["Acme company page", "Acme Careers", "Acme Engineering showcase"],
    "facebook": ["Acme", "Acme Careers page", "Acme Lyon"],
    "blog": ["blog.acme.example", "engineering blog", "press room"],
    "other": ["@acme.insta", "Acme YouTube channel", "Acme TikTok"],
}
CAMPAIGNS = [
    "spring launch",
    "Orion release",
    "Zephyr campaign",
    "annual report",
    "trade fair",
    "hiring week",
    "customer day",
    "Nova webinar",
    "summer sale",
    "sustainability report",
    "Q3 results",
    "partner summit",
]

# Per problem type: subjects and descriptions. {platform}, {account} and {campaign} are filled in.
SUBJECTS: dict[str, list[str]] = {
    "login-access": [
        "Can't log in to {platform}",
        "Locked out of {account}",
        "Lost my two-factor phone for {platform}",
        "Need access to the {account} page",
        "Password reset mail never arrives for {account}",
        "Please add me as admin of {account}",
    ],
    "compromised-account": [
        "{account} looks hacked",
        "Strange posts on {account} tonight",
        "Someone changed the password of {account}",
        "Phishing message sent from {account}",
    ],
    "publishing-problem": [
        "Post about the {campaign} won't publish",
        "Broken page on {platform}",
        "Error 500 when saving a draft on {platform}",
        "Images missing in the {campaign} post",
        "Scheduled post for the {campaign} never went out",
        "Link preview wrong on {platform}",
    ],
    "network-block": [
        "{platform} blocked from the office network",
        "Can't reach {platform} on the VPN",
        "Proxy blocks the {platform} upload page",
    ],
    "policy-etiquette": [
        "May I share the {campaign} on my {platform}?",
        "How do we answer an angry customer on {platform}?",
        "Journalist asked me about the {campaign} on {platform}",
        "Can I mention our client by name on {platform}?",
    ],
    "content-review": [
        "Please review the {campaign} post before Friday",
        "Draft for {account} about the {campaign}",
        "Check tone of our reply to a complaint on {platform}",
    ],
    "metrics-request": [
        "Follower growth of {account} for the {campaign}",
        "Engagement numbers for the {campaign}",
        "Monthly reach report for {account}",
    ],
    "new-account": [
        "New {platform} account for the {campaign}",
        "Request a {platform} page for our team",
    ],
    "other": [
        "Question about {account}",
        "Who runs {account}?",
        "Old {platform} account still online",
    ],
}
DESCRIPTIONS: dict[str, list[str]] = {
    "login-access": [
        "Since this morning {platform} says my password is wrong, although I changed nothing.",
        "I get a login error after the two-factor code: the code is refused every time.",
        "The previous page admin left the company and nobody can manage {account} any more.",
        "My session expires every few minutes and I have to log in again.",
    ],
    "compromised-account": [
        "{account} posted links to a crypto giveaway that none of us wrote. I can no longer log in.",
        "We got a security alert that a new device signed in to {account} from abroad.",
        "Followers tell us they received phishing messages from {account}.",
    ],
    "publishing-problem": [
        "The publish button spins and then shows an error. I tried two browsers.",
        "The page for the {campaign} returns an error 500 since the last update.",
        "The post is saved but the images do not show: the gallery is empty.",
        "The scheduled post stayed in the queue and was never published.",
    ],
    "network-block": [
        "The office proxy shows 'Access denied by policy' for {platform}, but I run {account}.",
        "From the VPN the upload page of {platform} times out; from home it works.",
    ],
    "policy-etiquette": [
        "Is it fine to share the public press release with a few words of my own?",
        "A customer complains publicly about a late delivery. What should we answer, and who answers?",
        "A reporter wants a comment about the {campaign}. I have not replied yet.",
    ],
    "content-review": [
        "The draft is attached. It should go out before the {campaign}; legal approved the figures.",
        "Could Communications check the wording? We want to avoid any misunderstanding.",
    ],
    "metrics-request": [
        "For the sales review I need reach and engagement for July to September.",
        "We want to compare the {campaign} with last year's: followers, clicks and shares.",
    ],
    "new-account": [
        "Our team wants its own page. Two people would run it, both trained on the guidelines.",
        "For the {campaign} we would like a dedicated handle for six months.",
    ],
    "other": [
        "An old account with our logo is still online and nobody knows who owns it.",
        "I am not sure where to ask: who is in charge of {account}?",
    ],
}
# Staff replies and notes: a few that fit any ticket, most about the problem at hand.
AGENT_REPLIES = [
    "Thanks for the details. I am looking into it now.",
    "Could you send a screenshot of the error message, please?",
    "Which browser and which office are you in?",
    "I asked the platform's support and will come back to you as soon as they answer.",
    "Is it still happening today, or did it settle by itself?",
    "Thanks for your patience: closing this one, reply here if it comes back.",
]
AGENT_REPLIES_BY_PROBLEM: dict[str, list[str]] = {
    "login-access": [
        "I reset the access; please try again and tell me if it works.",
        "You are now an admin of the page. The invitation mail may take a few minutes.",
        "The two-factor device is removed from your profile; please enrol your new phone.",
        "Your password was reset: use the link in the mail, it expires in an hour.",
    ],
    "compromised-account": [
        "We secured the account, changed the password and removed the unknown sessions.",
        "Please do not post from the account until we confirm it is clean.",
        "The suspicious posts are deleted and the platform confirmed the recovery.",
    ],
    "publishing-problem": [
        "The plugin that broke the editor is rolled back; the post is published.",
        "Fixed on our side: the cache was serving an old version of the page.",
        "The images are back: the upload folder had lost its permissions.",
    ],
    "network-block": [
        "The proxy rule is updated; it may take an hour to reach every office.",
        "The upload page is now allowed from the VPN as well.",
    ],
    "policy-etiquette": [
        "You can share it as long as you only quote the public press release.",
        "Please let the press office answer the journalist; we have briefed them.",
        "A short, polite public answer and then a private message works best here.",
    ],
    "content-review": [
        "The draft reads well. Two small changes suggested in the attached version.",
        "Approved with one change: please remove the figures that are not public yet.",
    ],
    "metrics-request": [
        "The numbers are in the attached report; the trend is up eight percent.",
        "The dashboard link is shared with you; it refreshes every Monday.",
    ],
    "new-account": [
        "The new page is created and you are both admins. Please read the guidelines first.",
        "The handle is reserved; we will hand it over after the short training.",
    ],
    "other": [
        "The old account is closed; the platform removed it this morning.",
        "Marketing runs that account: I forwarded your question to them.",
    ],
}
REQUESTER_REPLIES = [
    "Here is the screenshot you asked for.",
    "It works again, thank you!",
    "Still the same error this morning, sorry.",
    "I am in the Lyon office, using Firefox.",
    "Thanks, that answers my question.",
    "Any news? The campaign starts on Monday.",
    "I tried again from home and it works there.",
    "Perfect, we will post it this afternoon.",
    "One more question: can my colleague get access too?",
]
INTERNAL_NOTES = [
    "Requester is the page owner, confirmed with Marketing.",
    "Escalated to the platform's business support, case number in the shared mailbox.",
    "Waiting for the vendor's patch, ETA end of week.",
    "Same question as last month; see the earlier ticket.",
]
INTERNAL_NOTES_BY_PROBLEM: dict[str, list[str]] = {
    "publishing-problem": ["Same issue as last week on the blog: the image plugin again."],
    "network-block": ["Checked the proxy logs: the category filter blocks the upload domain."],
    "policy-etiquette": ["Legal must approve before we answer the journalist."],
    "compromised-account": ["Probably a phishing attempt: reset tokens and revoke third-party apps."],
    "login-access": ["The previous admin's access is revoked; new admins added."],
}
TIME_NOTES = ["Investigation", "Call with the requester", "Fix and test", "Review", "Report", "", ""]
ATTACHMENTS = [
    ("screenshot.png", "image/png"),
    ("error-page.png", "image/png"),
    ("photo.jpg", "image/jpeg"),
    ("draft-post.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("analytics-export.csv", "text/csv"),
    ("press-release.pdf", "application/pdf"),
    ("proxy-error.txt", "text/plain"),
]

# Tickets per local hour of a working day and of a weekend day (relative weights).
WEEKDAY_HOURS = [
    0.04,
    0.02,
    0.02,
    0.02,
    0.03,
    0.08,
    0.2,
    0.5,
    1.3,
    2.3,
    2.6,
    2.4,
    1.3,
    1.6,
    2.4,
    2.4,
    2.1,
    1.5,
    0.8,
    0.45,
    0.35,
    0.25,
    0.15,
    0.08,
]
WEEKEND_HOURS = [
    0.1,
    0.05,
    0.05,
    0.05,
    0.05,
    0.1,
    0.2,
    0.4,
    0.6,
    0.8,
    1.0,
    1.0,
    0.9,
    0.9,
    1.0,
    1.0,
    0.9,
    0.9,
    0.9,
    0.8,
    0.7,
    0.6,
    0.4,
    0.2,
]
WEEKDAY_VOLUME = [1.0, 1.05, 1.0, 0.97, 0.85, 0.11, 0.08]
