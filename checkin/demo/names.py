"""Name pools for invented households, by origin: the languages Nordby's residents speak."""

from __future__ import annotations


def _names(text: str) -> tuple[str, ...]:
    """A pool of names written as one text, space-separated (no name has a space)."""
    return tuple(text.split())


# Households by origin: (weight, locales with weights, female names, male names, surnames).
ORIGINS: dict[str, dict] = {
    "danish": {
        "weight": 35,
        "locales": (("da", 1),),
        "female": _names(
            "Anne Mette Louise Camilla Sofie Ida Emma Freja Clara Karen Lone Birgit Hanne Signe "
            "Maja Alma Ella Laura Inger Tina Pia Julie Nanna Agnes"
        ),
        "male": _names(
            "Jens Lars Mikkel Søren Anders Kasper Niels Frederik William Noah Oscar Lucas Carl "
            "Emil Victor Poul Erik Henning Bent Thomas Magnus Malthe Alfred Viggo"
        ),
        "surnames": _names(
            "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
            "Jørgensen Madsen Kristensen Olsen Thomsen Poulsen Møller Kjær Mortensen"
        ),
    },
    "arabic": {
        "weight": 25,
        "locales": (("ar", 7), ("da", 3)),
        "female": _names(
            "Fatima Aisha Mariam Nour Layla Huda Rania Salma Yasmin Zainab Hiba Lina Sara Amira "
            "Rahaf Dalia Jana Malak"
        ),
        "male": _names(
            "Mohammad Ahmad Ali Omar Khaled Youssef Hassan Ibrahim Karim Bilal Adam Hamza Tariq "
            "Samir Zaid Rami Nabil Jamal"
        ),
        "surnames": _names(
            "Al-Hassan Haddad Khalil Mansour Nasser Saleh Abbas Darwish Hamdan Aziz Ibrahim Yousef "
            "Al-Sayed Jaber"
        ),
    },
    "somali": {
        "weight": 15,
        "locales": (("so", 6), ("da", 3), ("en", 1)),
        "female": _names(
            "Hodan Amina Faadumo Sahra Hibaaq Deeqa Ifrah Nasra Ubah Sagal Ayaan Filsan Khadra "
            "Muna Ikran Sucaad"
        ),
        "male": _names(
            "Abdi Mahad Abdirahman Farah Liban Guled Hassan Mohamed Yusuf Ismail Bashir Hamse "
            "Khalid Mukhtar Said Warsame"
        ),
        "surnames": _names(
            "Warsame Farah Abdi Hussein Jama Osman Ali Mohamed Nur Yusuf Egal Aden Dahir Hirsi"
        ),
    },
    "ukrainian": {
        "weight": 12,
        "locales": (("uk", 7), ("en", 2), ("da", 1)),
        "female": _names(
            "Olena Oksana Iryna Nataliia Kateryna Yuliia Sofiia Anastasiia Viktoriia Daryna Polina "
            "Tetiana Olha Mariia"
        ),
        "male": _names(
            "Oleksandr Andrii Dmytro Serhii Taras Mykola Bohdan Maksym Artem Yaroslav Ivan Denys "
            "Roman Vasyl"
        ),
        "surnames": _names(
            "Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boiko Moroz Lysenko "
            "Savchenko Rudenko Marchenko Petrenko"
        ),
    },
    "turkish": {
        "weight": 13,
        "locales": (("tr", 5), ("da", 5)),
        "female": _names(
            "Elif Zeynep Ayşe Fatma Emine Merve Esra Büşra Derya Selin Hatice Yasemin Ecrin Defne "
            "Nur"
        ),
        "male": _names(
            "Mehmet Mustafa Ahmet Emre Murat Hüseyin Yusuf Burak Kerem Cem Can Ömer Eymen Alper "
            "Kemal"
        ),
        "surnames": _names(
            "Yılmaz Kaya Demir Şahin Çelik Yıldız Öztürk Aydın Arslan Doğan Koç Kurt Özdemir"
        ),
    },
}
