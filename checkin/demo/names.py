"""Name pools for invented households, by origin: the languages Nordby's residents speak."""

from __future__ import annotations

# Households by origin: (weight, locales with weights, female names, male names, surnames).
ORIGINS: dict[str, dict] = {
    "danish": {
        "weight": 35,
        "locales": (("da", 1),),
        "female": (
            "Anne", "Mette", "Louise", "Camilla", "Sofie", "Ida", "Emma", "Freja", "Clara",
            "Karen", "Lone", "Birgit", "Hanne", "Signe", "Maja", "Alma", "Ella", "Laura",
            "Inger", "Tina", "Pia", "Julie", "Nanna", "Agnes",
        ),
        "male": (
            "Jens", "Lars", "Mikkel", "Søren", "Anders", "Kasper", "Niels", "Frederik",
            "William", "Noah", "Oscar", "Lucas", "Carl", "Emil", "Victor", "Poul", "Erik",
            "Henning", "Bent", "Thomas", "Magnus", "Malthe", "Alfred", "Viggo",
        ),
        "surnames": (
            "Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
            "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Olsen", "Thomsen",
            "Poulsen", "Møller", "Kjær", "Mortensen",
        ),
    },
    "arabic": {
        "weight": 25,
        "locales": (("ar", 7), ("da", 3)),
        "female": (
            "Fatima", "Aisha", "Mariam", "Nour", "Layla", "Huda", "Rania", "Salma", "Yasmin",
            "Zainab", "Hiba", "Lina", "Sara", "Amira", "Rahaf", "Dalia", "Jana", "Malak",
        ),
        "male": (
            "Mohammad", "Ahmad", "Ali", "Omar", "Khaled", "Youssef", "Hassan", "Ibrahim",
            "Karim", "Bilal", "Adam", "Hamza", "Tariq", "Samir", "Zaid", "Rami", "Nabil",
            "Jamal",
        ),
        "surnames": (
            "Al-Hassan", "Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Abbas",
            "Darwish", "Hamdan", "Aziz", "Ibrahim", "Yousef", "Al-Sayed", "Jaber",
        ),
    },
    "somali": {
        "weight": 15,
        "locales": (("so", 6), ("da", 3), ("en", 1)),
        "female": (
            "Hodan", "Amina", "Faadumo", "Sahra", "Hibaaq", "Deeqa", "Ifrah", "Nasra", "Ubah",
            "Sagal", "Ayaan", "Filsan", "Khadra", "Muna", "Ikran", "Sucaad",
        ),
        "male": (
            "Abdi", "Mahad", "Abdirahman", "Farah", "Liban", "Guled", "Hassan", "Mohamed",
            "Yusuf", "Ismail", "Bashir", "Hamse", "Khalid", "Mukhtar", "Said", "Warsame",
        ),
        "surnames": (
            "Warsame", "Farah", "Abdi", "Hussein", "Jama", "Osman", "Ali", "Mohamed", "Nur",
            "Yusuf", "Egal", "Aden", "Dahir", "Hirsi",
        ),
    },
    "ukrainian": {
        "weight": 12,
        "locales": (("uk", 7), ("en", 2), ("da", 1)),
        "female": (
            "Olena", "Oksana", "Iryna", "Nataliia", "Kateryna", "Yuliia", "Sofiia",
            "Anastasiia", "Viktoriia", "Daryna", "Polina", "Tetiana", "Olha", "Mariia",
        ),
        "male": (
            "Oleksandr", "Andrii", "Dmytro", "Serhii", "Taras", "Mykola", "Bohdan", "Maksym",
            "Artem", "Yaroslav", "Ivan", "Denys", "Roman", "Vasyl",
        ),
        "surnames": (
            "Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk",
            "Boiko", "Moroz", "Lysenko", "Savchenko", "Rudenko", "Marchenko", "Petrenko",
        ),
    },
    "turkish": {
        "weight": 13,
        "locales": (("tr", 5), ("da", 5)),
        "female": (
            "Elif", "Zeynep", "Ayşe", "Fatma", "Emine", "Merve", "Esra", "Büşra", "Derya",
            "Selin", "Hatice", "Yasemin", "Ecrin", "Defne", "Nur",
        ),
        "male": (
            "Mehmet", "Mustafa", "Ahmet", "Emre", "Murat", "Hüseyin", "Yusuf", "Burak",
            "Kerem", "Cem", "Can", "Ömer", "Eymen", "Alper", "Kemal",
        ),
        "surnames": (
            "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın",
            "Arslan", "Doğan", "Koç", "Kurt", "Özdemir",
        ),
    },
}  # fmt: skip
